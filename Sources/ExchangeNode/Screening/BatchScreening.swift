import Dispatch
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import Synchronization

/// `screen FILE`: reads `ref,kind,identifier` rows (CSV or JSONL), screens each against the
/// index on a given day, writes one JSON line per (account, matching entry), and reports invalid
/// rows without stopping. Rows are parsed, tokenised and looked up on `threads` threads.
package struct BatchScreening {
    let engine: ScreeningEngine
    let day: Day
    var threads = 2

    package struct Summary: Sendable {
        package var rows = 0
        package var rejected = 0
        package var matches: [ScreenMatch] = []
        package var matchedAccounts = 0
        /// Pairwise scheme: peers that answered under another key epoch than our copy of their
        /// entries (they rotated; we have not synced): their matches may be missing. By member.
        package var staleOrigins: [String: StaleOrigin] = [:]
        /// Pairwise scheme: peers that could not mask some batch's queries (their entries were not
        /// screened for those rows). By member, the last reason seen.
        package var unreachableOrigins: [String: UnreachableOrigin] = [:]
    }

    static let columns = ColumnSpec(required: ["ref", "kind", "identifier"])

    package init(engine: ScreeningEngine, day: Day) {
        self.engine = engine
        self.day = day
    }

    /// Screens the file, calling `emit` with each batch's output lines (in file order) and
    /// `reject` with each rejected row's `FILE:LINE: reason`.
    package func run(
        path: String, progress: ProgressBar?, emit: (String) throws -> Void, reject: (String) throws -> Void
    ) async throws -> Summary {
        var reader = try TabularReader(path: path, columns: Self.columns)
        var summary = Summary()
        // Batch k is screened by a task while this thread reads batch k+1 and writes out batch k-1.
        var inFlight: (task: Task<ProcessedBatch, any Error>, problems: [InputError])?
        while let batch = try reader.nextBatch(maxRows: 16_384) {
            let task = Task { [self, rows = batch.rows] in try await process(rows, file: path) }
            if let previous = inFlight {
                try consume(try await previous.task.value, problems: previous.problems, into: &summary, emit: emit, reject: reject)
                progress?.update(done: reader.bytesRead, total: reader.fileSize)
            }
            inFlight = (task, batch.problems)
        }
        if let last = inFlight {
            try consume(try await last.task.value, problems: last.problems, into: &summary, emit: emit, reject: reject)
        }
        progress?.finish()
        return summary
    }

    /// Writes one screened batch out, in row order, and adds it to the summary.
    private func consume(
        _ batch: ProcessedBatch, problems: [InputError], into summary: inout Summary,
        emit: (String) throws -> Void, reject: (String) throws -> Void
    ) throws {
        for problem in problems {
            summary.rejected += 1
            try reject(problem.description)
        }
        for stale in batch.staleOrigins { summary.staleOrigins[stale.member] = stale }
        for origin in batch.unreachableOrigins { summary.unreachableOrigins[origin.member] = origin }
        var text = ""
        for result in batch.results {
            switch result {
            case .rejected(let reason):
                summary.rejected += 1
                try reject(reason)
            case .matched(let matches):
                if !matches.isEmpty { summary.matchedAccounts += 1 }
                for match in matches {
                    text += match.jsonLine
                    text += "\n"
                    summary.matches.append(match)
                }
            }
        }
        if !text.isEmpty { try emit(text) }
        summary.rows += batch.results.count + problems.count
    }

    /// A batch's results in row order, and the pairwise peers found stale or unreachable while screening it.
    struct ProcessedBatch: Sendable {
        var results: [RowResult]
        var staleOrigins: [StaleOrigin] = []
        var unreachableOrigins: [UnreachableOrigin] = []
    }

    enum RowResult: Sendable {
        case matched([ScreenMatch])
        case rejected(String)
    }

    /// Screens a batch of rows with the alliance's scheme, results in row order.
    func process(_ rows: [Row], file: String) async throws -> ProcessedBatch {
        switch engine {
        case .keyed(let screener): return ProcessedBatch(results: try processInParallel(rows, file: file, screener: screener))
        case .pairwise(let screener):
            var results = [RowResult?](repeating: nil, count: rows.count)
            var accounts: [Screener.Account] = []
            var positions: [Int] = []
            for (position, row) in rows.enumerated() {
                switch Self.parse(row, file: file) {
                case .success(let account):
                    accounts.append(account)
                    positions.append(position)
                case .failure(let rejection):
                    results[position] = .rejected(rejection.reason)
                }
            }
            let outcome = try await screener.screenReporting(accounts, on: day)
            let matches = outcome.matches
            for (index, position) in positions.enumerated() { results[position] = .matched(matches[index]) }
            return ProcessedBatch(results: results.map { $0 ?? .matched([]) }, staleOrigins: outcome.staleOrigins,
                                  unreachableOrigins: outcome.unreachableOrigins)
        }
    }

    /// Keyed-hash scheme: parses and screens rows in parallel (each worker one contiguous chunk).
    func processInParallel(_ rows: [Row], file: String, screener: Screener) throws -> [RowResult] {
        let failure = Mutex<NodeError?>(nil)
        let results = ParallelChunks.map(count: rows.count, threads: threads) { range -> [RowResult] in
            let screener = screener  // a private copy of the key state per worker
            var accounts: [Screener.Account] = []
            var accountRow: [Int] = []
            var parsed = [RowResult](repeating: .matched([]), count: range.count)
            for position in range {
                switch Self.parse(rows[position], file: file) {
                case .success(let account):
                    accounts.append(account)
                    accountRow.append(position - range.lowerBound)
                case .failure(let rejection):
                    parsed[position - range.lowerBound] = .rejected(rejection.reason)
                }
            }
            do throws(NodeError) {
                let matches = try screener.screen(accounts, on: day)
                for (index, row) in accountRow.enumerated() { parsed[row] = .matched(matches[index]) }
            } catch {
                failure.withLock { $0 = error }
            }
            return parsed
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results
    }

    struct Rejection: Error { let reason: String }

    static func parse(_ row: Row, file: String) -> Result<Screener.Account, Rejection> {
        guard let ref = row.values[0], !ref.isEmpty else { return .failure(Rejection(reason: "\(file):\(row.line): ref: is required")) }
        guard let kindText = row.values[1], let kind = IdentifierKind(rawValue: kindText) ?? IdentifierKind(rawValue: FastText.trimmed(kindText).lowercased()) else {
            return .failure(Rejection(reason: "\(file):\(row.line): kind: unknown identifier kind"))
        }
        guard let raw = row.values[2], !raw.isEmpty else { return .failure(Rejection(reason: "\(file):\(row.line): identifier: is required")) }
        do {
            return .success(Screener.Account(ref: ref, identifier: try SubjectIdentifier(kind: kind, parsing: raw)))
        } catch {
            return .failure(Rejection(reason: "\(file):\(row.line): identifier: \(error.description)"))
        }
    }
}
