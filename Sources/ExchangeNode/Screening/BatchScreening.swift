import Dispatch
import ExchangeCrypto
import ExchangeProtocol
import Foundation

/// `screen FILE`: reads `ref,kind,identifier` rows (CSV or JSONL), screens each against the
/// index on a given day, writes one JSON line per (account, matching entry), and reports invalid
/// rows without stopping. Rows are parsed, tokenised and looked up on `threads` threads.
struct BatchScreening {
    let screener: Screener
    let day: Day
    var threads = 2

    struct Summary: Sendable {
        var rows = 0
        var rejected = 0
        var matches: [ScreenMatch] = []
        var matchedAccounts = 0
    }

    static let columns = ColumnSpec(required: ["ref", "kind", "identifier"])

    /// Screens the file, calling `emit` with each batch's output lines (in file order) and
    /// `reject` with each rejected row's `FILE:LINE: reason`.
    func run(
        path: String, progress: ProgressBar?, emit: (String) throws -> Void, reject: (String) throws -> Void
    ) throws -> Summary {
        var reader = try TabularReader(path: path, columns: Self.columns)
        var summary = Summary()
        while let batch = try reader.nextBatch(maxRows: 16_384) {
            for problem in batch.problems {
                summary.rejected += 1
                try reject(problem.description)
            }
            let results = process(batch.rows, file: path)
            var text = ""
            for result in results {
                summary.rows += 1
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
            summary.rows += batch.problems.count
            progress?.update(done: reader.bytesRead, total: reader.fileSize)
        }
        progress?.finish()
        return summary
    }

    enum RowResult: Sendable {
        case matched([ScreenMatch])
        case rejected(String)
    }

    /// Parses and screens rows in parallel, results in row order.
    func process(_ rows: [Row], file: String) -> [RowResult] {
        let workers = max(1, min(threads, rows.count / 256 + 1))
        let chunk = (rows.count + workers - 1) / workers
        return [RowResult](unsafeUninitializedCapacity: rows.count) { buffer, initialised in
            let output = SendableBuffer(buffer)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let screener = self.screener  // a private copy of the key state per worker
                let start = worker * chunk
                let end = min(start + chunk, rows.count)
                guard start < end else { return }
                for position in start..<end {
                    (output.buffer.baseAddress! + position).initialize(to: Self.screen(rows[position], screener: screener, day: day, file: file))
                }
            }
            initialised = rows.count
        }
    }

    static func screen(_ row: Row, screener: Screener, day: Day, file: String) -> RowResult {
        guard let ref = row.values[0], !ref.isEmpty else { return .rejected("\(file):\(row.line): ref: is required") }
        guard let kindText = row.values[1], let kind = IdentifierKind(rawValue: kindText.trimmingCharacters(in: .whitespaces).lowercased()) else {
            return .rejected("\(file):\(row.line): kind: unknown identifier kind")
        }
        guard let raw = row.values[2], !raw.isEmpty else { return .rejected("\(file):\(row.line): identifier: is required") }
        do {
            let identifier = try SubjectIdentifier(kind: kind, parsing: raw)
            return .matched(screener.matches(ref: ref, identifier: identifier, on: day))
        } catch {
            return .rejected("\(file):\(row.line): identifier: \(error.description)")
        }
    }
}

/// Lets disjoint slices of one output buffer be written from several threads.
struct SendableBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}
