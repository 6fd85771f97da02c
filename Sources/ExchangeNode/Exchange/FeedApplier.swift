import Crypto
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Applies a verified feed page from an origin: entries, the batches that sign them, and the
/// cursor move, in ONE transaction. A kill at any moment therefore loses nothing and duplicates
/// nothing: either the page and its cursor are both stored, or neither is.
struct FeedApplier {
    package struct Outcome: Sendable {
        var applied = 0
        var skippedStale = 0
        var revoked = 0
        var retractions = 0
        /// Match records the watched base received from these pages (docs/watch.md).
        var watchMatches = 0
        var cursor: UInt64 = 0
    }

    let store: NodeStore
    /// Our pairwise key: events published under `ecdh-x25519` are re-masked with it for screening.
    var pairwise: LivePairwiseKey? = nil
    /// Matches the applied entries against the watched base, in the same transaction.
    var watch: WatchArrival? = nil

    /// A verified page and its events' SHA-256 as the verifier computed them (page order; computed here when nil),
    /// and its pairwise events' tokens re-masked with our key (``remask(_:)``; computed here when nil).
    struct VerifiedPage: Sendable {
        let page: FeedPage
        var digests: [[UInt8]]? = nil
        var remasked: Remasked? = nil
        /// Its events' watch index hits, read while the previous group was written (``SyncRound``).
        var watchHits: WatchProbeResult? = nil
    }

    /// A page's pairwise tokens re-masked with our key of `epoch`, by sequence number.
    struct Remasked: Sendable {
        var epoch: UInt32?
        var tokens: [UInt64: [Token]] = [:]
    }

    func apply(_ page: FeedPage, digests: [[UInt8]]? = nil, expectedCursor: UInt64) throws(NodeError) -> Outcome {
        try apply([VerifiedPage(page: page, digests: digests)], expectedCursor: expectedCursor)
    }

    /// Applies consecutive pages of ONE origin, in order, in one transaction (fewer commits, and
    /// far fewer rewrites of the randomly ordered token and entry-id B-tree pages, when a peer
    /// catches up on a long feed). Each page must start at the cursor the previous one left.
    func apply(_ pages: [VerifiedPage], expectedCursor: UInt64) throws(NodeError) -> Outcome {
        guard let origin = pages.first?.page.origin else { return Outcome(cursor: expectedCursor) }
        guard pages.allSatisfy({ $0.page.origin == origin }) else {
            throw .protocolViolation("pages of several origins cannot be applied together")
        }
        let now = NodeClock.nowMillis()
        let today = NodeClock.today()
        var remasked: [Remasked] = []
        for item in pages {
            if let done = item.remasked { remasked.append(done) } else { remasked.append(try remask(item.page)) }
        }
        let pairwise = pairwise
        return try store.write { db in
            // The membership loop runs beside the feed loops: a member expelled while its page was in flight
            // is not applied (under `withdraw` its entries were just deleted and must stay deleted).
            if try ExpelledMembers.members(db).contains(origin) {
                throw NodeError.peer(member: origin, reason: "expelled by the coordinator: its feed is no longer applied")
            }
            let current = try Cursors.get(origin: origin, db)
            guard current == expectedCursor else {
                // Another sync moved the cursor meanwhile: apply nothing, the caller re-reads.
                throw NodeError.protocolViolation("cursor for \(origin) moved from \(expectedCursor) to \(current) during the round")
            }
            var remaskedHere = Set<Int>()
            if let pairwise, remasked.contains(where: { !$0.tokens.isEmpty }) {
                // Index tokens are stored under the key the store is in step with: pages re-masked before a
                // `keys rotate` (any process) committed are re-masked again here with the new key.
                let key = try pairwise.current(db)
                for index in remasked.indices where !remasked[index].tokens.isEmpty && remasked[index].epoch != key.epoch {
                    remasked[index] = try Self.remask(pages[index].page, with: key)
                    remaskedHere.insert(index)  // its watch hits were read with the old tokens
                }
            }
            // Keyed-hash events under an epoch this node retired after its deadline are kept without their
            // event and tokens: sequence, digest and metadata count (cursor, anti-entropy, revocations).
            let closed = try TokenEpochs.closedEpochs(db, now: now)
            var outcome = Outcome(cursor: current)
            let table = try EntryTable(db)
            for (pageIndex, item) in pages.enumerated() {
                let page = item.page
                var changes: [WatchArrival.Change] = []
                var changed: [Int] = []
                for (position, entry) in page.events.enumerated() {
                    // A stopping process rolls the transaction back rather than finish a long one.
                    if position % 1024 == 0, Task.isCancelled { throw CancellationError() }
                    let event = entry.event
                    let digest = item.digests.map { $0[position] } ?? Array(Crypto.SHA256.hash(data: entry.canonical))
                    var indexTokens = remasked[pageIndex].tokens[event.seq]
                    var canonical = entry.canonical
                    if !closed.isEmpty, event.scheme.scheme == .keyedHash, closed.contains(event.scheme.epoch) {
                        canonical = []  // kept without its event and tokens (see TokenEpochRetirement)
                        indexTokens = []
                    }
                    // Most events of a long feed are new entries: insert first, look up only on a conflict.
                    var existing: ExistingEntry?
                    if try !table.writeIfNew(event, canonical: canonical, digest: digest, indexTokens: indexTokens) {
                        existing = try table.existing(origin: event.origin, entryID: event.entryID)
                        if let existing, existing.seq >= event.seq {
                            outcome.skippedStale += 1
                            continue
                        }
                        try table.write(event, canonical: canonical, digest: digest, replacingTokensOf: existing,
                                        indexTokens: indexTokens)
                    }
                    outcome.applied += 1
                    if watch != nil {
                        changes.append(.init(event: event, indexTokens: indexTokens ?? event.tokens, replaced: existing != nil))
                        changed.append(position)
                    }
                    if event.status == .revoked, existing?.status != .revoked {
                        outcome.revoked += 1
                        outcome.retractions += try Retractions.retract(
                            origin: event.origin, entryID: event.entryID,
                            reason: event.revocationReason?.rawValue ?? "revoked", at: now, day: today, db)
                    }
                }
                if let watch {
                    let probed = remaskedHere.contains(pageIndex) ? nil : item.watchHits.flatMap { hits in
                        hits.hits.count == page.events.count
                            ? WatchProbeResult(version: hits.version, hits: changed.map { hits.hits[$0] }) : nil
                    }
                    let found = try watch.process(changes, probed: probed, day: today, at: now, db)
                    outcome.watchMatches += found.matches
                    outcome.retractions += found.retractions
                }
                for batch in page.batches { try BatchTable.insert(batch, db) }
                outcome.cursor = max(outcome.cursor, page.coveredThrough)
            }
            try table.finish()
            try db.execute(sql: "INSERT OR REPLACE INTO origin_certificates (origin, der) VALUES (?, ?)",
                           arguments: [origin, Data(pages[pages.count - 1].page.originCertificateDER)])
            if outcome.applied > 0 { try EntriesVersion.bump(db) }
            try Cursors.set(origin: origin, through: outcome.cursor, at: now, db)
            return outcome
        }
    }
}

extension FeedApplier {
    /// `X25519(own key, t)` for every token of the page's pairwise events, keyed by sequence number, with
    /// the key this process holds now (``apply(_:expectedCursor:)`` re-checks it inside its transaction).
    func remask(_ page: FeedPage) throws(NodeError) -> Remasked {
        guard page.events.contains(where: { $0.event.scheme.scheme == .ecdhX25519 }) else { return Remasked() }
        guard let key = pairwise?.loaded else {
            throw .protocolViolation("\(page.origin) published pairwise (ecdh-x25519) entries but this node has no pairwise key")
        }
        return try Self.remask(page, with: key)
    }

    static func remask(_ page: FeedPage, with key: PairwiseMaskingKey) throws(NodeError) -> Remasked {
        let pairwise = page.events.filter { $0.event.scheme.scheme == .ecdhX25519 }
        guard !pairwise.isEmpty else { return Remasked() }
        let flat = pairwise.flatMap(\.event.tokens)
        let masked: [Token]
        do {
            masked = try key.maskInParallel(flat, threads: 2)
        } catch {
            throw .protocolViolation("feed of \(page.origin)", underlying: error)
        }
        var out = Remasked(epoch: key.epoch)
        var offset = 0
        for item in pairwise {
            out.tokens[item.event.seq] = Array(masked[offset..<offset + item.event.tokens.count])
            offset += item.event.tokens.count
        }
        return out
    }
}
