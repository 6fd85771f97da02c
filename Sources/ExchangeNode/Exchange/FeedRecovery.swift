import AllianceHTTP
import Crypto
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Takes this node's own events back from its peers after a restore from an older backup
/// (docs/operations.md, "Design: feed recovery"): asks each peer node what it holds of our feed
/// (`GET /v1/held`), verifies every event against a batch signed with **our own** key, stores the
/// events newer than ours as our own entries (without sealed identifiers: only the node that
/// imported an entry ever had its identifiers), and moves our sequence counter to at least the
/// highest sequence number the peer holds or has passed with its cursor. When every configured peer
/// node has answered, publishing is allowed again.
package struct FeedRecovery: Sendable {
    let context: NodeContext
    let client: PeerClient
    /// Events per page asked for (a page's batches stay well under the wire limit even when every
    /// event is from a different signed batch).
    var pageSize = 1_000

    package init(context: NodeContext, client: PeerClient) {
        self.context = context
        self.client = client
    }

    package init(node: NodeRuntime, client: PeerClient) {
        self.init(context: node.context, client: client)
    }

    /// What one peer's answer brought.
    package struct PeerOutcome: Sendable, Equatable {
        package let member: String
        package var pages = 0
        package var recovered = 0
        package var heldThrough: UInt64 = 0
    }

    private var peerNodes: [PeerConfig] { context.peers.nodes.filter { $0.member != context.member } }

    /// While the node is recovering: takes back what `peer` holds if it has not answered since, then ends
    /// the recovery if every peer node has answered. The check runs on every round while recovering, so a
    /// peer that was expelled (or removed) before it answered stops holding the recovery up. Does nothing
    /// once the node has recovered.
    package func recoverIfNeeded(from peer: PeerConfig) async throws(NodeError) {
        let (pending, answered) = try context.store.read { db in
            (try FeedRecoveryState.isPending(db), try FeedRecoveryState.hasAnswered(peer.member, db))
        }
        guard pending else { return }
        if !answered { _ = try await recover(from: peer) }
        try completeIfAllAnswered()
    }

    /// Asks every peer node not yet answered, one after the other (`sync`); returns each outcome or error.
    package func recoverFromEveryPeer() async -> [(member: String, result: Result<PeerOutcome?, NodeError>)] {
        var results: [(member: String, result: Result<PeerOutcome?, NodeError>)] = []
        for peer in peerNodes {
            do {
                let needed = try context.store.read { db in
                    try FeedRecoveryState.isPending(db) && !FeedRecoveryState.hasAnswered(peer.member, db)
                }
                if needed {
                    results.append((peer.member, .success(try await recover(from: peer))))
                } else {
                    results.append((peer.member, .success(nil)))
                }
            } catch {
                results.append((peer.member, .failure(error)))
            }
        }
        do {
            try completeIfAllAnswered()
        } catch {
            results.append((context.member, .failure(error)))
        }
        return results
    }

    /// Pages through what `peer` holds of our feed after the backup's head and stores it.
    package func recover(from peer: PeerConfig) async throws(NodeError) -> PeerOutcome {
        var outcome = PeerOutcome(member: peer.member)
        var after = try context.store.read { db in try FeedRecoveryState.fromSeq(db) }
        let ownKey = context.keys.signingKey.publicKey
        while true {
            let url = "\(peer.url)/v1/held?origin=\(context.member)&after=\(after)&limit=\(pageSize)"
            let (status, body) = try await client.call(.GET, url, limit: WireLimits.default.maxPageBytes)
            guard status == 200 else {
                throw .peer(member: peer.member, reason: "held feed answered HTTP \(status): \(ErrorBody.message(in: body))")
            }
            let page: FeedPage
            let digests: [[UInt8]]
            do {
                page = try FeedPage(decoding: body)
                guard page.origin == context.member else {
                    throw NodeError.peer(member: peer.member, reason: "held feed refused: it is the feed of \(page.origin)")
                }
                // Our own signature, with our own key: the certificate inside the page is not trusted.
                digests = try FeedVerifier(originKey: ownKey).verify(page)
            } catch let error as NodeError {
                throw error
            } catch {
                context.logger.error("held feed page refused", metadata: ["peer": "\(peer.member)", "reason": "\(error)"])
                throw .peer(member: peer.member, reason: "held feed page refused", underlying: error)
            }
            guard page.coveredThrough <= FeedRecoveryState.maximumClaimedSequence else {
                throw .peer(member: peer.member, reason: "held feed claims sequence #\(page.coveredThrough), beyond 2^62")
            }
            let last = !page.hasMore || page.coveredThrough <= after
            outcome.recovered += try apply(page, digests: digests, from: peer.member, last: last)
            outcome.pages += 1
            outcome.heldThrough = max(outcome.heldThrough, page.coveredThrough)
            after = page.coveredThrough
            if last { break }
        }
        context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: "feed.recover", outcome: .ok,
                                        detail: ["pages": .count(outcome.pages), "events": .count(outcome.recovered),
                                                 "through": .seq(outcome.heldThrough)]))
        context.logger.notice("feed recovery: peer answered", metadata: [
            "peer": "\(peer.member)", "events": "\(outcome.recovered)", "held_through": "\(outcome.heldThrough)",
        ])
        return outcome
    }

    /// Stores a verified page of our own events in one transaction: each event newer than what we
    /// hold of its entry becomes our entry again, its batches our batches; the own head moves to at
    /// least the page's `covered_through`. Returns how many events were newer.
    private func apply(_ page: FeedPage, digests: [[UInt8]], from peer: String, last: Bool) throws(NodeError) -> Int {
        let now = NodeClock.nowMillis()
        let today = NodeClock.today()
        return try context.store.write { db in
            guard try FeedRecoveryState.isPending(db) else { return 0 }
            let table = try EntryTable(db)
            var recovered = 0
            var highest: UInt64 = 0
            for (position, item) in page.events.enumerated() {
                let event = item.event
                highest = max(highest, event.seq)
                if try !table.writeIfNew(event, canonical: item.canonical, digest: digests[position]) {
                    guard let existing = try table.existing(origin: event.origin, entryID: event.entryID),
                          existing.seq < event.seq else { continue }
                    // The sealed identifiers still match when the tokens did not change (a revocation);
                    // otherwise they belong to an older version and must go.
                    let previousTokens = try Self.storedTokens(ofRow: existing.rowID, db)
                    try table.write(event, canonical: item.canonical, digest: digests[position], replacingTokensOf: existing)
                    if previousTokens != event.tokens {
                        try db.execute(sql: "DELETE FROM sealed_identifiers WHERE entry = ?", arguments: [existing.rowID])
                    }
                    if event.status == .revoked, existing.status != .revoked {
                        _ = try Retractions.retract(origin: event.origin, entryID: event.entryID,
                                                    reason: event.revocationReason?.rawValue ?? "revoked", at: now, day: today, db)
                    }
                }
                recovered += 1
            }
            try table.finish()
            for batch in page.batches { try BatchTable.insert(batch, db) }
            let head = UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0)
            let newHead = max(head, highest, page.coveredThrough)
            if newHead > head { try NodeState.set(db, OwnEventWriter.sequenceKey, Int64(newHead)) }
            try FeedRecoveryState.record(peer: peer, heldThrough: page.coveredThrough, highestSeq: highest, events: recovered,
                                         answered: last, at: now, db)
            if recovered > 0 { try EntriesVersion.bump(db) }
            return recovered
        }
    }

    /// Ends the recovery when every configured peer node has answered (audited as `feed.recovered`).
    package func completeIfAllAnswered() throws(NodeError) {
        let peers = peerNodes.map(\.member)
        let completed = try context.store.write { db in try FeedRecoveryState.completeIfAllAnswered(peers: peers, db) }
        guard completed else { return }
        let snapshot = try context.store.read { db in try FeedRecoveryState.snapshot(db, member: context.member, peers: peers) }
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "feed.recovered", outcome: .ok,
                                        detail: ["peers": .count(peers.count), "events": .count(snapshot.peers.reduce(0) { $0 + $1.events }),
                                                 "head": .seq(snapshot.head)]))
        context.logger.notice("feed recovery complete: publishing again", metadata: ["head": "\(snapshot.head)"])
    }

    private static func storedTokens(ofRow rowID: Int64, _ db: Database) throws -> [Token] {
        guard let bytes = try Data.fetchOne(db, sql: "SELECT event FROM entries WHERE id = ?", arguments: [rowID]),
              let event = try? EntryEvent(canonical: [UInt8](bytes)) else { return [] }
        return event.tokens
    }
}
