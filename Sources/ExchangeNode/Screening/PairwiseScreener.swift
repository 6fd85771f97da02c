import ExchangeCrypto
import ExchangeProtocol
import Foundation

/// Screening under the pairwise scheme (`ecdh-x25519`). For each account x this node computes
/// `q = X25519(a, H(x))`; its own entries are looked up with q directly; for each peer B it sends
/// the q values to B (`POST /v1/mask`, within B's budget for us), gets `X25519(b, q)` back and looks
/// those up among B's entries, whose stored tokens are `X25519(a, X25519(b, H(y)))`. B learns
/// nothing about x; we learn only whether x is on B's list, and only by asking B, on B's record.
struct PairwiseScreener: Sendable {
    let member: String
    let index: TokenIndex
    let key: PairwiseMaskingKey
    let policy: MeasuresPolicy
    let resolver: EntryResolver
    let peers: [PeerConfig]
    let client: PeerClient
    static let chunk = 20_000

    func screen(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> [[ScreenMatch]] {
        guard !accounts.isEmpty else { return [] }
        let points = accounts.map { PairwiseMaskingKey.point(for: $0.identifier) }
        let queries: [Token]
        do {
            queries = try key.maskInParallel(points, threads: 2)
        } catch {
            throw .protocolViolation("masking our own queries: \(error)")
        }
        var candidates: [EntryResolver.Candidate] = []
        var owners: [Int] = []
        func collect(_ values: [Token], origin: String) {
            for (position, value) in values.enumerated() {
                index.forEachCandidate(for: value) { row in
                    candidates.append(.init(row: row, token: value, origin: origin))
                    owners.append(position)
                }
            }
        }
        collect(queries, origin: member)
        for peer in peers where peer.member != member {
            collect(try await maskedByPeer(queries, peer: peer), origin: peer.member)
        }
        var out = [[ScreenMatch]](repeating: [], count: accounts.count)
        for (position, entry) in try resolver.resolve(candidates).enumerated() {
            guard let entry, entry.applies(on: day) else { continue }
            out[owners[position]].append(ScreenMatch(account: accounts[owners[position]], entry: entry, policy: policy))
        }
        return out
    }

    /// `X25519(b, q)` for each query, from peer B, in chunks.
    func maskedByPeer(_ queries: [Token], peer: PeerConfig) async throws(NodeError) -> [Token] {
        var out: [Token] = []
        out.reserveCapacity(queries.count)
        var start = 0
        while start < queries.count {
            let end = min(start + Self.chunk, queries.count)
            let body = MaskMessage.encodeRequest(Array(queries[start..<end]))
            let (status, reply) = try await client.call(.POST, "\(peer.url)/v1/mask", body: body,
                                                        contentType: MaskMessage.contentType, limit: 64 + Self.chunk * 32)
            guard status == 200 else {
                throw .peer(member: peer.member, reason: "masking answered HTTP \(status): \(ErrorBody.message(in: reply))")
            }
            let response: (epoch: UInt32, values: [Token])
            do {
                response = try MaskMessage.decodeResponse(reply)
            } catch {
                throw .peer(member: peer.member, reason: "masking response refused: \(error)")
            }
            guard response.values.count == end - start else {
                throw .peer(member: peer.member, reason: "masking response has \(response.values.count) values for \(end - start)")
            }
            out += response.values
            start = end
        }
        return out
    }
}
