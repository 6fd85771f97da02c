import ExchangeProtocol
import Foundation
import GRDB
import Logging

/// After a pull, compares our copy of a peer's own entries with what the peer serves
/// (docs/protocol.md, "Anti-entropy").
///
/// Both sides first read their ``DigestLedger`` (`sum-sha256`: a few rows, whatever the number of
/// entries). Only when those disagree, or the peer predates the ledger, are the full chain digests
/// (a scan of the origin's entries at both ends) compared: they decide whether the copy diverged.
/// Chains that agree while the sums did not mean a ledger is out of step with its entries: ours is
/// rebuilt, and a peer's is reported in the log.
struct AntiEntropyCheck {
    let store: NodeStore
    let client: PeerClient
    let logger: Logger

    /// False when our copy of the origin diverged from what it serves; true when it agrees or when
    /// the two are not comparable yet (the origin moved on since our last page).
    func copyAgrees(with peer: PeerConfig) async throws(NodeError) -> Bool {
        let origin = peer.member
        let remote = try await remoteDigest(peer, scheme: OriginDigest.sumScheme)
        let ours = try localDigest(origin: origin, scheme: remote.scheme)
        // Comparable only when our copy is at the head the origin digested: if the origin published more
        // since our last page, the next round pulls it and compares then.
        guard ours.cursor == remote.throughSeq else { return true }
        if ours.digest.agrees(with: remote) { return true }
        guard remote.scheme == OriginDigest.sumScheme else { return false }  // a chain already: it decides

        let remoteChain = try await remoteDigest(peer, scheme: nil)
        let ourChain = try localDigest(origin: origin, scheme: nil)
        guard ourChain.cursor == remoteChain.throughSeq else { return true }
        guard ourChain.digest.agrees(with: remoteChain) else { return false }
        // The copies agree; a ledger does not. Ours is rebuilt from our entries; if the sums still differ, it is the peer's.
        try store.write { db in try DigestLedger.rebuild(origin: origin, db) }
        let rebuilt = try localDigest(origin: origin, scheme: OriginDigest.sumScheme)
        if rebuilt.digest.agrees(with: remote) {
            logger.warning("anti-entropy: our ledger was out of step with our copy, rebuilt", metadata: ["origin": "\(origin)"])
        } else {
            logger.warning("anti-entropy: the peer's ledger is out of step with its entries (its full digest agrees with our copy)",
                           metadata: ["origin": "\(origin)"])
        }
        return true
    }

    /// Our cursor for `origin` and the digest of our copy, read in one transaction.
    private func localDigest(origin: String, scheme: String?) throws(NodeError) -> (cursor: UInt64, digest: OriginDigest) {
        try store.read { db in
            let cursor = try Cursors.get(origin: origin, db)
            return (cursor, try OriginDigest.compute(scheme: scheme, origin: origin, through: cursor, lists: ListKind.allCases, db))
        }
    }

    /// The peer's digest of its own entries, asked for in `scheme` (nil: the chain). A peer that does not
    /// know the scheme answers the chain, and says so by naming none.
    private func remoteDigest(_ peer: PeerConfig, scheme: String?) async throws(NodeError) -> OriginDigest {
        let url = "\(peer.url)/v1/digest" + (scheme.map { "?scheme=\($0)" } ?? "")
        let (status, body) = try await client.call(.GET, url)
        guard status == 200 else { throw .peer(member: peer.member, reason: "digest answered HTTP \(status)") }
        guard let decoded = try? JSONDecoder().decode(OriginDigest.self, from: Data(body)), decoded.origin == peer.member,
              decoded.scheme == nil || decoded.scheme == scheme else {
            throw .peer(member: peer.member, reason: "digest response is not valid")
        }
        return decoded
    }
}
