import ExchangeProtocol
import Foundation
import GRDB
import Logging

/// One sync round: for each peer node, pull its feed from our cursor until it has no more,
/// verify every page (certificate, batch signatures, event digests) before applying it, then
/// compare per-origin digests and re-pull an origin whose copy diverged.
struct SyncRound {
    let context: NodeContext
    let client: PeerClient
    let certificateCheck: OriginCertificateCheck
    var pageSize = FeedBuilder.defaultPageSize

    struct PeerResult: Sendable {
        let member: String
        var pages = 0
        var applied = 0
        var revoked = 0
        var retractions = 0
        var repaired = false
        var error: String?
    }

    func run() async -> [PeerResult] {
        var results = [PeerResult]()
        for peer in context.peers.nodes where peer.member != context.member {
            var result = PeerResult(member: peer.member)
            do {
                try await pull(peer, into: &result)
                if try await !digestMatches(peer) {
                    context.logger.warning("anti-entropy: copy diverged, re-pulling", metadata: ["origin": "\(peer.member)"])
                    try resetOrigin(peer.member)
                    result.repaired = true
                    try await pull(peer, into: &result)
                }
            } catch {
                let message = error.description
                result.error = message
                context.logger.warning("sync failed", metadata: ["peer": "\(peer.member)", "error": "\(message)"])
                context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: .syncPull, outcome: .error,
                                                detail: ["error": .code(message)]))
            }
            if result.error == nil {
                let detail: [String: AuditValue] = [
                    "pages": .count(result.pages), "applied": .count(result.applied),
                    "revoked": .count(result.revoked), "repaired": .flag(result.repaired),
                ]
                context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: .syncPull, outcome: .ok, detail: detail))
            }
            results.append(result)
        }
        _ = try? context.store.write { db in
            try Retractions.retractExpired(asOf: NodeClock.today(), at: NodeClock.nowMillis(), db)
        }
        return results
    }

    private func pull(_ peer: PeerConfig, into result: inout PeerResult) async throws(NodeError) {
        let applier = FeedApplier(store: context.store, pairwiseKey: context.keys.pairwiseKey)
        while true {
            let cursor = try context.store.read { db in try Cursors.get(origin: peer.member, db) }
            let url = "\(peer.url)/v1/feed?after=\(cursor)&limit=\(pageSize)"
            let (status, body) = try await client.call(.GET, url, limit: WireLimits.default.maxPageBytes)
            guard status == 200 else {
                throw .peer(member: peer.member, reason: "feed answered HTTP \(status): \(ErrorBody.message(in: body))")
            }
            let page: FeedPage
            do {
                page = try FeedPage(decoding: body)
            } catch {
                throw .peer(member: peer.member, reason: "feed page refused: \(error)")
            }
            guard page.origin == peer.member else {
                throw .peer(member: peer.member, reason: "feed page refused: it is the feed of \(page.origin)")
            }
            let key = try certificateCheck.signingKey(for: page)
            let digests: [[UInt8]]
            do {
                digests = try FeedVerifier(originKey: key).verify(page)
            } catch {
                context.logger.error("tampered feed page refused", metadata: ["origin": "\(peer.member)", "reason": "\(error)"])
                throw .peer(member: peer.member, reason: "feed page refused: \(error)")
            }
            let outcome = try applier.apply(page, digests: digests, expectedCursor: cursor)
            result.pages += 1
            result.applied += outcome.applied
            result.revoked += outcome.revoked
            result.retractions += outcome.retractions
            if !page.hasMore || page.coveredThrough <= cursor { break }
        }
    }

    /// False when our copy of the origin diverged from what it serves; true when it agrees or when
    /// the two are not comparable yet (the origin moved on since our last page).
    private func digestMatches(_ peer: PeerConfig) async throws(NodeError) -> Bool {
        let (status, body) = try await client.call(.GET, "\(peer.url)/v1/digest")
        guard status == 200 else { throw .peer(member: peer.member, reason: "digest answered HTTP \(status)") }
        let remote: OriginDigest
        do {
            remote = try JSONDecoder().decode(OriginDigest.self, from: Data(body))
        } catch {
            throw .peer(member: peer.member, reason: "digest response is not valid")
        }
        // The digests are comparable only when our copy is at the head the origin digested: if the
        // origin published more since our last page, the next round pulls it and compares then.
        let (cursor, local) = try context.store.read { db in
            (try Cursors.get(origin: peer.member, db),
             try OriginDigest.compute(origin: peer.member, through: remote.throughSeq, lists: ListKind.allCases, db))
        }
        guard cursor == remote.throughSeq else { return true }
        return local.digest == remote.digest && local.entries == remote.entries
    }

    /// Forgets an origin's copy so the next pull re-reads it whole (one transaction).
    private func resetOrigin(_ origin: String) throws(NodeError) {
        try context.store.write { db in
            try db.execute(sql: "DELETE FROM entries WHERE origin = ?", arguments: [origin])
            try db.execute(sql: "DELETE FROM batches WHERE origin = ?", arguments: [origin])
            try Cursors.set(origin: origin, through: 0, at: NodeClock.nowMillis(), db)
            try EntriesVersion.bump(db)
        }
    }
}

/// The JSON error body every endpoint returns: `{"error": "..."}`.
struct ErrorBody: Codable {
    let error: String

    static func message(in body: [UInt8]) -> String {
        (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)))?.error ?? "(no message)"
    }
}
