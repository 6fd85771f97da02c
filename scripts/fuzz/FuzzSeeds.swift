import Crypto
import ExchangeProtocol

/// Valid inputs for each target, so mutation starts from the real formats instead of random bytes.
enum FuzzSeeds {
    /// A fixed signing key: seed pages are signed with it and the feed target verifies against it.
    static let signingKey: P256.Signing.PrivateKey = {
        let raw = (1...32).map { UInt8($0 &* 7 &+ 3) }
        return try! P256.Signing.PrivateKey(rawRepresentation: raw)
    }()

    static func seeds(for target: FuzzTarget) -> [[UInt8]] {
        switch target {
        case .event: events().map { $0.canonicalBytes() }
        case .feed: pages().map { $0.encoded() }
        case .csv: tabular().map { Array($0.utf8) }
        }
    }

    static func token(_ seed: UInt64) -> Token32 {
        Token32(w0: seed &* 0x9E37_79B9_7F4A_7C15 | 1, w1: seed, w2: ~seed, w3: seed &+ 17)
    }

    static func events(origin: String = "alpha", firstSeq: UInt64 = 1) -> [EntryEvent] {
        [
            EntryEvent(origin: origin, seq: firstSeq, entryID: "E1", version: 1, status: .active, revocationReason: nil,
                       list: .black, category: .brushing, severity: .general, role: nil,
                       listedOn: Day(year: 2026, month: 1, day: 1)!, expiresOn: Day(year: 2027, month: 1, day: 1)!,
                       scheme: TokenSchemeDescriptor(scheme: .keyedHash, epoch: 1), tokens: [token(1)], changedAt: 1_767_225_600_000),
            EntryEvent(origin: origin, seq: firstSeq + 1, entryID: "E2", version: 3, status: .revoked, revocationReason: .erroneous,
                       list: .watch, category: .falseAdvertising, severity: .severe, role: .logisticsCompany,
                       listedOn: Day(year: 2025, month: 6, day: 30)!, expiresOn: nil,
                       scheme: TokenSchemeDescriptor(scheme: .ecdhX25519, epoch: 7), tokens: [token(2), token(3), token(4)],
                       changedAt: 1_700_000_000_123),
            EntryEvent(origin: origin, seq: firstSeq + 2, entryID: "红名单-3", version: 1, status: .active, revocationReason: nil,
                       list: .red, category: .trustworthy, severity: .serious, role: .company,
                       listedOn: Day(year: 2026, month: 2, day: 28)!, expiresOn: Day(year: 2026, month: 3, day: 1)!,
                       scheme: TokenSchemeDescriptor(scheme: .keyedHash, epoch: 1), tokens: (5...12).map { token($0) }, changedAt: 0),
        ]
    }

    static func pages() -> [FeedPage] {
        let certificate = Array("not-a-real-certificate-but-opaque-to-the-decoder".utf8)
        let events = events()
        let canonical = events.map { $0.canonicalBytes() }
        let digests = canonical.map { Array(SHA256.hash(data: $0)) }
        let whole = try! SignedBatch.sign(origin: "alpha", firstSeq: 1, digests: digests, key: signingKey)
        let first = try! SignedBatch.sign(origin: "alpha", firstSeq: 1, digests: [digests[0]], key: signingKey)
        let rest = try! SignedBatch.sign(origin: "alpha", firstSeq: 2, digests: Array(digests[1...]), key: signingKey)
        let items = zip(events, canonical).map { (event: $0, canonical: $1) }
        return [
            FeedPage(origin: "alpha", originCertificateDER: certificate, coveredThrough: 3, hasMore: false,
                     batches: [whole], events: items),
            FeedPage(origin: "alpha", originCertificateDER: certificate, coveredThrough: 9, hasMore: true,
                     batches: [first, rest], events: [items[0], items[2]]),
            FeedPage(origin: "alpha", originCertificateDER: [], coveredThrough: 0, hasMore: false, batches: [], events: []),
        ]
    }

    static func tabular() -> [String] {
        [
            "a,b,c\n1,2,3\n",
            "\u{FEFF}a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"multi\nline\"\r\n,,\r\n",
            "c,a\n\n+8613800138000,-5\n=cmd,@x\n\"unterminated\n",
            "{\"a\":\"1\",\"b\":2,\"c\":null}\n{\"a\":\"\\u00e9\\n\",\"b\":-1.5e3}\n\n[1]\n",
            "a,b,c,extra\n\u{0}1,2,3,4\n\u{1F600},é,\t,\r\n",
        ]
    }
}
