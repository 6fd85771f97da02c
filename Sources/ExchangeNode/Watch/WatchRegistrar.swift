import Dispatch
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import Synchronization

/// Registers watched accounts, all or nothing, in ONE transaction (docs/watch.md, "Registration"):
/// each account's sealed identifier, its own-domain index row (written in fingerprint order at the
/// end), and its current matches (keyed-hash: every origin; pairwise: our own entries — peers'
/// come with coverage) as match records in the outbox.
///
/// A file is read once: batch k+1 is read, parsed, tokenised, sealed and looked up in the screening
/// index on other threads while batch k is written. A bad row anywhere rolls everything back and every
/// bad row is reported as `FILE:LINE: field: reason`.
package struct WatchRegistrar: Sendable {
    let store: NodeStore
    let keys: WatchKeys
    let policy: MeasuresPolicy
    let entryIndex: WatchEntryIndex
    var threads = 2
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }
    var today: @Sendable () -> Day = { NodeClock.today() }

    static let batchRows = 16_384

    package struct Outcome: Sendable {
        package var registered = 0
        package var created = 0
        package var replaced = 0
        package var unchanged = 0
        /// The new accounts' current matches found at registration (those already open included).
        package var matches: [ScreenMatch] = []
        /// Match records this registration put in the outbox.
        package var records = 0
        /// Retractions of the old matches of refs registered again with another identifier.
        package var retractions = 0
    }

    /// Registers the accounts of a CSV or JSONL file (`ref,kind,identifier`).
    package func register(file path: String) throws(NodeError) -> Outcome {
        let reader: TabularReader
        do {
            reader = try TabularReader(path: path, columns: BatchScreening.columns)
        } catch {
            throw .registrationRejected(file: path, problems: [error.description], total: 1)
        }
        // Batch k+1 is read, parsed and prepared on another thread while batch k is written: the
        // writer's thread only writes. One batch is read at a time (the next read starts when the
        // previous one has been waited for), so the reader moves from one preparing task to the next.
        let source = Mutex(reader)
        // The writer's thread is the bottleneck and keeps one core: batches are prepared on the others
        // (on two cores, a second preparing thread only took turns with the writer).
        var preparer = self
        preparer.threads = max(1, min(threads, ProcessInfo.processInfo.activeProcessorCount - 1))
        return try transaction(name: path) { session in
            let index = session.index
            let readAndPrepare: @Sendable (Range<Int>) -> ReadStep = { [preparer] _ in
                do throws(InputError) {
                    guard let batch = try source.withLock({ reader throws(InputError) in try reader.nextBatch(maxRows: Self.batchRows) }) else {
                        return .end
                    }
                    return .batch(preparer.prepare(batch.rows, problems: batch.problems, file: path, index: index))
                } catch {
                    return .failed(error)
                }
            }
            var pending = ChunkPipeline.Pending(range: 0..<0, prepare: readAndPrepare)
            while true {
                switch pending.wait() {
                case .end:
                    return
                case .failed(let error):
                    session.report(line: error.line ?? 0, error.description)
                    return
                case .batch(let prepared):
                    pending = ChunkPipeline.Pending(range: 0..<0, prepare: readAndPrepare)
                    try session.consume(prepared)
                    // Its strings and arrays are freed on another thread: the writer's is the bottleneck.
                    DispatchQueue.global().async { withExtendedLifetime(prepared) {} }
                }
            }
        }
    }

    /// What reading the next batch of a file gave.
    private enum ReadStep: Sendable {
        case batch(Prepared)
        case end
        case failed(InputError)
    }

    /// Registers accounts already parsed (the internal API); `lines[i]` names account i in problems.
    func register(_ accounts: [Screener.Account], name: String = "items") throws(NodeError) -> Outcome {
        try transaction(name: name) { session in
            for start in stride(from: 0, to: accounts.count, by: Self.batchRows) {
                let range = start..<min(start + Self.batchRows, accounts.count)
                try session.consume(prepare(Array(accounts[range]), lines: range.map { $0 + 1 }, index: session.index))
            }
        }
    }

    /// Runs `body` in one write transaction; rolls back when any problem was reported.
    private func transaction(name: String, _ body: (Session) throws -> Void) throws(NodeError) -> Outcome {
        let millis = clock()
        let day = today()
        return try store.write { db in
            let domain = try WatchOwnDomain.ensure(db, keys: keys, at: millis, threads: threads, policy: { policy })
            let session = try Session(db, name: name, keys: keys, policy: policy, index: entryIndex.index(db), day: day,
                                      at: millis)
            try body(session)
            if session.problemCount > 0 {
                let problems = session.problems.sorted { $0.line < $1.line }.map(\.text)
                throw NodeError.registrationRejected(file: name, problems: problems, total: session.problemCount)
            }
            try session.finish(domain: domain)
            return session.outcome
        }
    }

    // MARK: - Preparing a batch (off the writer's thread)

    /// A batch parsed, with each account's own value, sealed identifier and screening candidates.
    struct Prepared: Sendable {
        var accounts: [Screener.Account] = []
        var lines: [Int] = []
        var problems: [(line: Int, text: String)] = []
        var values: [Token] = []
        /// Positions in `accounts` by fingerprint (then position): the batch's index rows are written
        /// in this order, so the registration's rows are runs the final sort only has to merge.
        var order: [Int32] = []
        /// The accounts sealed in boxes: box k holds the accounts at positions `boxRanges[k]`.
        var boxes: [[UInt8]] = []
        var boxRanges: [Range<Int>] = []
        var candidates: [EntryResolver.Candidate] = []
        /// The account (position in `accounts`) of each candidate.
        var owners: [Int] = []
        var failure: NodeError?
    }

    private func prepare(_ rows: [Row], problems: [InputError], file: String, index: TokenIndex) -> Prepared {
        var prepared = Prepared()
        prepared.problems = problems.map { ($0.line ?? 0, $0.description) }
        for row in rows {
            switch WatchInput.parse(row, file: file) {
            case .success(let account):
                prepared.accounts.append(account)
                prepared.lines.append(row.line)
            case .failure(let rejection):
                prepared.problems.append((row.line, rejection.reason))
            }
        }
        return complete(prepared, index: index)
    }

    private func prepare(_ accounts: [Screener.Account], lines: [Int], index: TokenIndex) -> Prepared {
        complete(Prepared(accounts: accounts, lines: lines), index: index)
    }

    /// Own values (parallel), sealed boxes (parallel) and screening candidates.
    private func complete(_ batch: Prepared, index: TokenIndex) -> Prepared {
        var prepared = batch
        let accounts = prepared.accounts
        do throws(NodeError) {
            prepared.values = try keys.ownValues(accounts.map(\.identifier), threads: threads)
        } catch {
            prepared.failure = error
            return prepared
        }
        let fingerprints = prepared.values.map(WatchFingerprint.key)
        prepared.order = (0..<Int32(fingerprints.count)).sorted { a, b in
            fingerprints[Int(a)] < fingerprints[Int(b)] || (fingerprints[Int(a)] == fingerprints[Int(b)] && a < b)
        }
        let keys = keys
        let ranges = WatchSealBox.boxRanges(slotSizes: accounts.map { WatchBoxPlaintext.size(ref: $0.ref, identifier: $0.identifier) })
        prepared.boxRanges = ranges
        prepared.boxes = ParallelChunks.map(count: ranges.count, threads: threads, minimumChunk: 4) { range in
            range.map { box in
                let slots = ranges[box].map { WatchSealBox.Slot((accounts[$0].ref, accounts[$0].identifier)) }
                return (try? WatchSealBox.seal(slots, with: keys.seal)) ?? []
            }
        }
        let origin: String? = keys.scheme == .keyedHash ? nil : keys.member
        for (position, value) in prepared.values.enumerated() {
            index.forEachCandidate(for: value) { row in
                prepared.candidates.append(.init(row: row, token: value, origin: origin))
                prepared.owners.append(position)
            }
        }
        return prepared
    }

    // MARK: - Writing (in the transaction)

    private final class Session {
        let db: Database
        /// The file (or request) name problems are reported with.
        let name: String
        let keys: WatchKeys
        let policy: MeasuresPolicy
        let index: TokenIndex
        let day: Day
        let millis: Int64
        /// Accounts with this id or a higher one were inserted by this registration.
        let firstNew: Int64
        /// The id the next box gets (`WatchLayout`).
        private var nextBox: Int64
        private let accounts: WatchAccounts
        private let inserter: WatchRefInserter
        private let insertBox: RawStatement
        /// Box slots of accounts not inserted after all, and of accounts replaced.
        private var releases = WatchSealReleases()
        private let moveRef: RawStatement
        private var pairs: [WatchPair] = []
        /// Refs watched before this registration that it met (kept or replaced): a second time is a duplicate.
        private var kept: Set<String> = []
        private(set) var problems: [(line: Int, text: String)] = []
        private(set) var problemCount = 0
        var outcome = Outcome()

        init(_ db: Database, name: String, keys: WatchKeys, policy: MeasuresPolicy, index: TokenIndex, day: Day, at millis: Int64) throws {
            self.db = db
            self.name = name
            self.keys = keys
            self.policy = policy
            self.index = index
            self.day = day
            self.millis = millis
            nextBox = try WatchLayout.nextBox(db)
            firstNew = WatchLayout.account(box: nextBox, slot: 0)
            accounts = try WatchAccounts(db, seal: keys.seal)
            inserter = try WatchRefInserter(db, accounts: accounts)
            insertBox = try RawStatement(db, "INSERT INTO watch_seals (id, box) VALUES (?, ?)")
            moveRef = try RawStatement(db, "UPDATE watch_refs SET account = ? WHERE ref = ?")
        }

        func report(line: Int, _ text: String) {
            problemCount += 1
            if problems.count < ImportValidator.maxReportedProblems { problems.append((line, text)) }
        }

        func consume(_ batch: Prepared) throws {
            for problem in batch.problems { report(line: problem.line, problem.text) }
            if let failure = batch.failure { throw failure }
            // After a problem everything still goes on (so that every problem, duplicates included, is
            // reported); it all rolls back at the end.
            var ids: [Int64] = []
            ids.reserveCapacity(batch.accounts.count)
            for (box, accounts) in zip(batch.boxes, batch.boxRanges) {
                guard !box.isEmpty else { throw NodeError.store("cannot seal a watched identifier") }
                let id = nextBox
                nextBox += 1
                insertBox.bind(1, id)
                insertBox.bind(2, blob: box)
                try insertBox.run()
                for slot in 0..<accounts.count { ids.append(WatchLayout.account(box: id, slot: slot)) }
            }
            let inserted = try inserter.insert(batch.accounts.map(\.ref), ids: ids)
            var live = inserted
            for position in inserted.indices {
                outcome.registered += 1
                if inserted[position] {
                    outcome.created += 1
                } else if try keepOrReplace(batch.accounts[position], line: batch.lines[position], id: ids[position]) {
                    live[position] = true
                } else {
                    let place = WatchLayout.place(of: ids[position])
                    releases.release(box: place.box, slot: place.slot)
                }
            }
            for position in batch.order where live[Int(position)] {
                pairs.append(WatchPair(fingerprint: WatchFingerprint.key(batch.values[Int(position)]), account: ids[Int(position)]))
            }
            guard problemCount == 0 else { return }
            var matches: [ScreenMatch] = []
            for (position, entry) in try EntryResolver.resolve(batch.candidates, db).enumerated() {
                guard let entry, entry.applies(on: day) else { continue }
                matches.append(ScreenMatch(account: batch.accounts[batch.owners[position]], entry: entry, policy: policy))
            }
            outcome.matches += matches
            outcome.records += try MatchRecorder.record(matches, screened: batch.accounts.count, day: day, at: millis, db,
                                                        source: WatchArrival.source, reopen: true)
        }

        /// Keeps, or replaces, the account watched under the ref of one that could not be inserted;
        /// true when the new account (`id`) replaced it.
        private func keepOrReplace(_ account: Screener.Account, line: Int, id: Int64) throws -> Bool {
            guard let previous = try accounts.account(ref: account.ref) else {
                throw NodeError.store("watched account \(account.ref) vanished during its registration")
            }
            // Seen earlier in this registration: inserted (a new id), replaced (a new id) or kept.
            if previous.id >= firstNew || !kept.insert(account.ref).inserted {
                report(line: line, "\(name):\(line): ref: appears more than once")
                return false
            }
            if previous.identifier == account.identifier {
                outcome.unchanged += 1
                return false
            }
            try releases.release(account: previous.id, layout: accounts.layout, db)
            moveRef.bind(1, id)
            moveRef.bind(2, account.ref)
            try moveRef.run()
            try WatchState.addGarbage(db, Int64(try WatchDomains.current(db).count))
            outcome.retractions += try WatchRetractions.retractAll(ref: account.ref, reason: "re-registered", at: millis, day: day, db)
            outcome.replaced += 1
            return true
        }

        /// Writes the own-domain index rows, in fingerprint order, and moves the domain's watermark.
        func finish(domain: WatchDomain) throws {
            try releases.apply(db, seal: keys.seal)
            try WatchLayout.advanceBoxes(to: nextBox, db)
            if !pairs.isEmpty { try WatchIndexWriter(db).write(domain: domain.id, pairs: &pairs) }
            try WatchDomains.advance(domain.id, through: try accounts.highest(), at: millis, db)
        }
    }
}
