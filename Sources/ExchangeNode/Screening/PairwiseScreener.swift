import AllianceHTTP
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import Logging

/// Screening under the pairwise scheme (`ecdh-x25519`). For each account x this node computes
/// `q = X25519(a, H(x))`; its own entries are looked up with q directly; for each peer B it sends
/// the q values to B (`POST /v1/mask`, within B's budget for us), gets `X25519(b, q)` back and looks
/// those up among B's entries, whose stored tokens are `X25519(a, X25519(b, H(y)))`. B learns
/// nothing about x; we learn only whether x is on B's list, and only by asking B, on B's record.
///
/// B's answer carries the epoch of B's key. When it differs from the epoch of B's entries in our
/// store (B rotated and we have not synced its re-issued entries yet), B is reported as a
/// ``StaleOrigin`` in the outcome and a warning naming B is logged: its "no match" means "not known".
package struct PairwiseScreener: Sendable {
    let member: String
    let index: TokenIndex
    let key: PairwiseMaskingKey
    let policy: MeasuresPolicy
    let resolver: EntryResolver
    let peers: [PeerConfig]
    let client: PeerClient
    /// The key epochs of each peer's entries in our store, read with the index.
    let originEpochs: PairwiseOriginEpochs
    let logger: Logger
    static let chunk = 20_000

    func screen(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> [[ScreenMatch]] {
        try await screenReporting(accounts, on: day).matches
    }

    /// The matches, and the peers whose answers were of another key epoch than our copy of their entries.
    func screenReporting(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> ScreeningOutcome {
        guard !accounts.isEmpty else { return ScreeningOutcome(matches: [], staleOrigins: []) }
        let points = accounts.map { PairwiseMaskingKey.point(for: $0.identifier) }
        let queries: [Token]
        do {
            queries = try key.maskInParallel(points, threads: 2)
        } catch {
            throw .protocolViolation("masking our own queries", underlying: error)
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
        var stale: [StaleOrigin] = []
        var unreachable: [UnreachableOrigin] = []
        // Every peer masks our queries at once; one that cannot is reported, the others still count.
        let answers = await withTaskGroup(of: (PeerConfig, Result<(epochs: Set<UInt32>, values: [Token]), NodeError>).self) { group in
            for peer in peers where peer.member != member {
                group.addTask {
                    do throws(NodeError) {
                        return (peer, .success(try await maskedByPeerWithEpochs(queries, peer: peer)))
                    } catch {
                        return (peer, .failure(error))
                    }
                }
            }
            var collected: [(PeerConfig, Result<(epochs: Set<UInt32>, values: [Token]), NodeError>)] = []
            for await answer in group { collected.append(answer) }
            return collected.sorted { $0.0.member < $1.0.member }
        }
        for (peer, result) in answers {
            let answer: (epochs: Set<UInt32>, values: [Token])
            switch result {
            case .success(let value): answer = value
            case .failure(let error):
                unreachable.append(UnreachableOrigin(member: peer.member, reason: error.description))
                logger.warning("peer could not mask our queries: its entries were not screened",
                               metadata: ["peer": "\(peer.member)", "error": "\(error.description)"])
                NodeMetrics.shared.screeningOrigin(peer: peer.member, unreachable: true)
                continue
            }
            collect(answer.values, origin: peer.member)
            if let found = staleness(of: peer.member, answeredEpochs: answer.epochs) {
                stale.append(found)
                logger.warning("peer answered masking with another key epoch than our copy of its entries: its matches may be missing until we sync with it",
                               metadata: ["peer": "\(peer.member)", "answered_epoch": "\(found.answeredEpoch)",
                                          "stored_epochs": "\(found.storedEpochs.map(String.init).joined(separator: ","))"])
                NodeMetrics.shared.screeningOrigin(peer: peer.member, unreachable: false)
            }
        }
        var out = [[ScreenMatch]](repeating: [], count: accounts.count)
        for (position, entry) in try resolver.resolve(candidates).enumerated() {
            guard let entry, entry.applies(on: day) else { continue }
            out[owners[position]].append(ScreenMatch(account: accounts[owners[position]], entry: entry, policy: policy))
        }
        return ScreeningOutcome(matches: out, staleOrigins: stale, unreachableOrigins: unreachable)
    }

    /// A peer that answered under several epochs (it rotated during our screen) is stale whatever we hold.
    func staleness(of origin: String, answeredEpochs: Set<UInt32>) -> StaleOrigin? {
        guard let latest = answeredEpochs.max() else { return nil }
        if answeredEpochs.count > 1 {
            return StaleOrigin(member: origin, answeredEpoch: latest, storedEpochs: (originEpochs.epochs[origin] ?? []).sorted())
        }
        return originEpochs.staleness(of: origin, answeredEpoch: latest)
    }

    /// `X25519(b, q)` for each query, from peer B, in chunks.
    func maskedByPeer(_ queries: [Token], peer: PeerConfig) async throws(NodeError) -> [Token] {
        try await maskedByPeerWithEpochs(queries, peer: peer).values
    }

    /// `X25519(b, q)` for each query, from peer B, in chunks, with the key epochs B's answers named.
    func maskedByPeerWithEpochs(_ queries: [Token], peer: PeerConfig) async throws(NodeError) -> (epochs: Set<UInt32>, values: [Token]) {
        var epochs: Set<UInt32> = []
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
                throw .peer(member: peer.member, reason: "masking response refused", underlying: error)
            }
            guard response.values.count == end - start else {
                throw .peer(member: peer.member, reason: "masking response has \(response.values.count) values for \(end - start)")
            }
            out += response.values
            epochs.insert(response.epoch)
            start = end
        }
        return (epochs, out)
    }
}
