import AllianceHTTP
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import Logging

/// One sync round: for each peer node, pull its feed from our cursor until it has no more,
/// verify every page (certificate, batch signatures, event digests) before applying it, then
/// compare per-origin digests and re-pull an origin whose copy diverged.
package struct SyncRound {
    let context: NodeContext
    let client: PeerClient
    let certificateCheck: OriginCertificateCheck
    /// Applies verified pages to our store (and re-masks pairwise pages with our key). Made once per
    /// round: its watch keys read the key files, which is not work to repeat for every page.
    private let applier: FeedApplier
    package var pageSize = FeedBuilder.defaultPageSize
    /// Verified events applied in one transaction when a peer catches up on a long feed.
    package var eventsPerTransaction = Self.defaultEventsPerTransaction

    package struct PeerResult: Sendable {
        package let member: String
        package var pages = 0
        package var applied = 0
        package var revoked = 0
        package var retractions = 0
        /// Match records the watched base received (docs/watch.md).
        package var watchMatches = 0
        package var repaired = false
        package var error: String?
        /// The stable code of ``error`` (`peer`, `protocol-violation`, `store`, ...).
        package var errorCode: String?
        /// The round was cancelled (the process is stopping): neither a success nor a failure.
        package var cancelled = false
    }

    /// One round with every peer node, one after the other.
    package func run() async -> [PeerResult] {
        await run(peers: context.peers.nodes.filter { $0.member != context.member })
    }

    /// One round with each of `peers`, one after the other. A round the task's cancellation cut short
    /// is marked ``PeerResult/cancelled`` and not logged, audited or counted as a failure.
    package func run(peers: [PeerConfig]) async -> [PeerResult] {
        var results = [PeerResult]()
        for peer in peers {
            var result = PeerResult(member: peer.member)
            if Task.isCancelled {
                result.cancelled = true
                results.append(result)
                continue
            }
            do throws(NodeError) {
                try await pull(peer, into: &result)
                // Expelled while this round ran (serve's membership loop runs beside the feed loops): no
                // digest exchange with it, and the round does not count as a successful pull.
                if context.livePeers.expelled.contains(peer.member) { throw Self.expelledDuringRound(peer) }
                if try await !AntiEntropyCheck(store: context.store, client: client, logger: context.logger).copyAgrees(with: peer) {
                    context.logger.warning("anti-entropy: copy diverged, re-pulling", metadata: ["origin": "\(peer.member)"])
                    try Self.resetOrigin(peer.member, in: context.store)
                    result.repaired = true
                    try await pull(peer, into: &result)
                }
            } catch where Task.isCancelled {
                result.cancelled = true
                results.append(result)
                continue
            } catch {
                fail(&result, peer: peer, with: error)
            }
            if result.error == nil {
                let detail: [String: AuditValue] = [
                    "pages": .count(result.pages), "applied": .count(result.applied),
                    "revoked": .count(result.revoked), "repaired": .flag(result.repaired),
                ]
                // Recorded as a success only if the member was not expelled meanwhile (its digest exchange
                // may have outlasted the check above): never after the expulsion's own record.
                let recorded = context.livePeers.unlessExpelled(peer.member) {
                    context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: .syncPull, outcome: .ok, detail: detail))
                }
                if !recorded { fail(&result, peer: peer, with: Self.expelledDuringRound(peer)) }
            }
            NodeMetrics.shared.synced(peer: peer.member, failed: result.error != nil, applied: result.applied)
            results.append(result)
        }
        if !Task.isCancelled {
            _ = try? context.store.write { db in
                try Retractions.retractExpired(asOf: NodeClock.today(), at: NodeClock.nowMillis(), db)
            }
        }
        // The watch: the day change, and under the pairwise scheme a coverage step (docs/watch.md); not
        // when the process is stopping.
        if !Task.isCancelled { _ = await WatchMaintenance(context: context, client: client).afterRound() }
        return results
    }

    package static let defaultEventsPerTransaction = 50_000

    private static func expelledDuringRound(_ peer: PeerConfig) -> NodeError {
        .peer(member: peer.member, reason: "expelled by the coordinator during the round")
    }

    /// Logs and audits a failed round with `peer`.
    private func fail(_ result: inout PeerResult, peer: PeerConfig, with error: NodeError) {
        let message = error.description
        result.error = message
        result.errorCode = error.code.description
        context.logger.warning("sync failed", metadata: ["peer": "\(peer.member)", "error": "\(message)"])
        // The code, not the message: a peer's answer is free text, which the audit log would redact.
        context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: .syncPull, outcome: .error,
                                        detail: ["error": .code(error.code.description)]))
    }

    init(context: NodeContext, client: PeerClient, certificateCheck: OriginCertificateCheck) {
        self.context = context
        self.client = client
        self.certificateCheck = certificateCheck
        applier = FeedApplier(store: context.store, pairwise: context.keys.pairwiseKey == nil ? nil : context.pairwise,
                              watch: WatchArrival(context: context))
    }

    /// Consecutive verified pages of one peer, and whether its feed has more after them.
    private struct PageGroup: Sendable {
        var pages: [FeedApplier.VerifiedPage] = []
        var hasMore = false
    }

    /// Pulls the peer's feed in groups of pages. While one group is applied (SQLite, on this task)
    /// the next is already being fetched and verified by a child task: a page is only ever applied
    /// after it was verified, and groups are applied in order with the cursor they expect.
    private func pull(_ peer: PeerConfig, into result: inout PeerResult) async throws(NodeError) {
        var cursor = try context.store.read { db in try Cursors.get(origin: peer.member, db) }
        var group = try await fetchGroup(peer, after: cursor)
        while true {
            let prefetch: Task<PageGroup, any Error>? = group.hasMore
                ? Task { [self, after = group.pages[group.pages.count - 1].page.coveredThrough] in
                    try await fetchGroup(peer, after: after)
                }
                : nil
            let outcome: FeedApplier.Outcome
            do {
                outcome = try applier.apply(group.pages, expectedCursor: cursor)
            } catch {
                prefetch?.cancel()
                _ = await prefetch?.result
                throw error
            }
            result.pages += group.pages.count
            result.applied += outcome.applied
            result.revoked += outcome.revoked
            result.retractions += outcome.retractions
            result.watchMatches += outcome.watchMatches
            cursor = outcome.cursor
            guard let prefetch else { break }
            do {
                // The prefetch is its own task: a cancelled round (serve shutting down) cancels it too.
                group = try await withTaskCancellationHandler { try await prefetch.value } onCancel: { prefetch.cancel() }
            } catch let error as NodeError {
                throw error
            } catch {
                throw .peer(member: peer.member, reason: "fetching the next pages failed", underlying: error)
            }
        }
    }

    /// Fetches and verifies pages after `cursor` until they hold `eventsPerTransaction` events
    /// or the feed has no more.
    private func fetchGroup(_ peer: PeerConfig, after cursor: UInt64) async throws(NodeError) -> PageGroup {
        var group = PageGroup()
        var after = cursor
        var events = 0
        while true {
            let verified = try await fetchVerified(peer, after: after)
            let page = verified.page
            group.pages.append(verified)
            events += page.events.count
            let advanced = page.coveredThrough > after
            after = page.coveredThrough
            group.hasMore = page.hasMore && advanced
            if !group.hasMore || events >= eventsPerTransaction { return group }
        }
    }

    /// Fetches the page after `cursor`, decodes it and verifies it before anything is applied.
    private func fetchVerified(_ peer: PeerConfig, after cursor: UInt64) async throws(NodeError) -> FeedApplier.VerifiedPage {
        let url = "\(peer.url)/v1/feed?after=\(cursor)&limit=\(pageSize)"
        let (status, body) = try await client.call(.GET, url, limit: WireLimits.default.maxPageBytes)
        guard status == 200 else {
            throw .peer(member: peer.member, reason: "feed answered HTTP \(status): \(ErrorBody.message(in: body))")
        }
        let page: FeedPage
        do {
            page = try FeedPage(decoding: body)
        } catch {
            throw .peer(member: peer.member, reason: "feed page refused", underlying: error)
        }
        guard page.origin == peer.member else {
            throw .peer(member: peer.member, reason: "feed page refused: it is the feed of \(page.origin)")
        }
        let key = try await certificateCheck.signingKey(for: page)
        do {
            let digests = try FeedVerifier(originKey: key).verify(page)
            // Re-masking (pairwise) is the costly part of applying: done here, it overlaps the previous group's writes.
            let remasked = try applier.remask(page)
            // The watch index is probed here too, while the previous group is written; the writer
            // probes again only if the watch changed meanwhile.
            let hits = applier.watch.flatMap { watch in
                WatchProbe.probe(page.events.map { WatchProbeItem(origin: $0.event.origin, scheme: $0.event.scheme,
                                                                  tokens: remasked.tokens[$0.event.seq] ?? $0.event.tokens) },
                                 keys: watch.keys, store: context.store)
            }
            return FeedApplier.VerifiedPage(page: page, digests: digests, remasked: remasked, watchHits: hits)
        } catch let error as NodeError {
            throw error
        } catch {
            context.logger.error("tampered feed page refused", metadata: ["origin": "\(peer.member)", "reason": "\(error)"])
            throw .peer(member: peer.member, reason: "feed page refused", underlying: error)
        }
    }

    /// Forgets an origin's copy so the next pull re-reads it whole (one transaction). The bench uses it
    /// to time the same sync twice.
    package static func resetOrigin(_ origin: String, in store: NodeStore) throws(NodeError) {
        try store.write { db in
            try db.execute(sql: "DELETE FROM entry_tokens WHERE entry IN (SELECT id FROM entries WHERE origin = ?)", arguments: [origin])
            try db.execute(sql: "DELETE FROM entries WHERE origin = ?", arguments: [origin])
            try DigestLedger.forget(origin: origin, db)
            try db.execute(sql: "DELETE FROM batches WHERE origin = ?", arguments: [origin])
            try Cursors.set(origin: origin, through: 0, at: NodeClock.nowMillis(), db)
            try EntriesVersion.bump(db)
        }
    }
}
