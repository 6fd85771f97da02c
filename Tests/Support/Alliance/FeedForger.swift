import Crypto
import ExchangeCrypto
import ExchangeProtocol
import Foundation

/// Builds feed pages as a member of the test alliance would serve them — correctly signed with that
/// member's key and carrying its certificate — so a fake peer can send pages whose content (order, gaps,
/// replays, skewed clocks) is exactly what a test needs. Tokens come from the alliance token key, so the
/// node under test can screen against the forged entries.
package struct FeedForger: Sendable {
    package let origin: String
    package let certificateDER: [UInt8]
    package let key: P256.Signing.PrivateKey
    package let tokenizer: KeyedHashTokenizer

    /// A forger for `origin` with its own key and token key, carrying `certificateDER` (for tests below the
    /// certificate check, such as the applier's).
    package init(origin: String, certificateDER: [UInt8], key: P256.Signing.PrivateKey, tokenizer: KeyedHashTokenizer) {
        self.origin = origin
        self.certificateDER = certificateDER
        self.key = key
        self.tokenizer = tokenizer
    }

    package init(caDirectory: URL, member: String) throws {
        origin = member
        let dir = caDirectory.appending(path: "members/\(member)")
        certificateDER = try Self.der(fromPEM: String(contentsOf: dir.appending(path: "cert.pem"), encoding: .utf8))
        key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: dir.appending(path: "key.pem"), encoding: .utf8))
        let tokenKey = try JSONDecoder().decode(AllianceTokenKey.self, from: Data(contentsOf: caDirectory.appending(path: "token-key.json")))
        tokenizer = KeyedHashTokenizer(key: tokenKey)
    }

    /// An event of this origin for mainland mobile `phone` (e.g. `13800138000`).
    package func event(
        seq: UInt64, entryID: String, version: UInt32 = 1, revoked: Bool = false, phone: String,
        listedOn: Day, expiresOn: Day?, changedAt: Int64 = Int64(Date().timeIntervalSince1970 * 1000)
    ) throws -> EntryEvent {
        let identifier = try SubjectIdentifier(kind: .phone, parsing: phone)
        return EntryEvent(
            origin: origin, seq: seq, entryID: entryID, version: version, status: revoked ? .revoked : .active,
            revocationReason: revoked ? .erroneous : nil, list: .black, category: .brushing, severity: .serious, role: nil,
            listedOn: listedOn, expiresOn: expiresOn, scheme: tokenizer.descriptor, tokens: [tokenizer.token(for: identifier)],
            changedAt: changedAt)
    }

    /// A page with `events` in the given order, each covered by its own batch signed by `signer`
    /// (this member's key unless a test forges with another).
    package func page(
        _ events: [EntryEvent], coveredThrough: UInt64? = nil, hasMore: Bool = false, signer: P256.Signing.PrivateKey? = nil
    ) throws -> FeedPage {
        let items = events.map { (event: $0, canonical: $0.canonicalBytes()) }
        let batches = try items.map { item in
            try SignedBatch.sign(origin: origin, firstSeq: item.event.seq,
                                 digests: [Array(SHA256.hash(data: item.canonical))], key: signer ?? key)
        }
        return FeedPage(origin: origin, originCertificateDER: certificateDER,
                        coveredThrough: coveredThrough ?? (events.map(\.seq).max() ?? 0), hasMore: hasMore,
                        batches: batches, events: items)
    }

    /// The `/v1/digest` answer matching a set of current entries (the origin's anti-entropy view).
    package func digestJSON(current: [EntryEvent], through: UInt64) -> [UInt8] {
        var hasher = SHA256()
        for event in current.sorted(by: { $0.seq < $1.seq }) {
            var writer = ByteWriter()
            writer.u64(event.seq)
            hasher.update(data: writer.bytes)
            hasher.update(data: event.digest)
        }
        let digest = Hex.encode(hasher.finalize())
        return Array(#"{"digest":"\#(digest)","entries":\#(current.count),"origin":"\#(origin)","through_seq":\#(through)}"#.utf8)
    }

    package static func der(fromPEM pem: String) throws -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let data = Data(base64Encoded: body) else { throw HarnessError("certificate PEM is not base64") }
        return Array(data)
    }
}
