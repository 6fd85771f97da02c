import Foundation
import GRDB

/// Removes watched accounts by ref, all or nothing, in one transaction. Their open matches stay
/// as they are (docs/watch.md, "Removal"): the member removed the account, the subject is still
/// listed. Their index rows become garbage for compaction; no probe can reach a removed account
/// (ids are never reused).
package struct WatchRemoval: Sendable {
    let store: NodeStore
    /// Opens and re-seals the boxes removed accounts leave (`WatchSealReleases`).
    let seal: IdentifierSeal

    static let columns = ColumnSpec(required: ["ref"])

    package struct Outcome: Sendable, Equatable {
        package var removed = 0
        package var notWatched = 0
    }

    /// Removes the refs of a CSV (header `ref`) or JSONL file.
    func remove(file path: String) throws(NodeError) -> Outcome {
        var reader: TabularReader
        do {
            reader = try TabularReader(path: path, columns: Self.columns)
        } catch {
            throw .registrationRejected(file: path, problems: [error.description], total: 1)
        }
        return try transaction(name: path) { session in
            do {
                while let batch = try reader.nextBatch(maxRows: 16_384) {
                    for problem in batch.problems { session.report(line: problem.line ?? 0, problem.description) }
                    for row in batch.rows {
                        let ref = row.values[0] ?? ""
                        if let problem = WatchInput.refProblem(ref) {
                            session.report(line: row.line, "\(path):\(row.line): ref: \(problem)")
                        } else {
                            try session.remove(ref)
                        }
                    }
                }
            } catch let error as InputError {
                session.report(line: error.line ?? 0, error.description)
            }
        }
    }

    /// Removes refs given as a list (the internal API).
    func remove(_ refs: [String], name: String = "refs") throws(NodeError) -> Outcome {
        try transaction(name: name) { session in
            for (position, ref) in refs.enumerated() {
                if let problem = WatchInput.refProblem(ref) {
                    session.report(line: position + 1, "\(name):\(position + 1): ref: \(problem)")
                } else {
                    try session.remove(ref)
                }
            }
        }
    }

    private func transaction(name: String, _ body: (Session) throws -> Void) throws(NodeError) -> Outcome {
        return try store.write { db in
            let session = try Session(db)
            try body(session)
            if session.problemCount > 0 {
                throw NodeError.registrationRejected(file: name, problems: session.problems.sorted { $0.line < $1.line }.map(\.text),
                                          total: session.problemCount)
            }
            try session.releases.apply(db, seal: seal)
            if session.outcome.removed > 0 {
                try WatchState.addGarbage(db, Int64(session.outcome.removed * max(1, try WatchDomains.current(db).count)))
                try WatchState.bump(db)
            }
            return session.outcome
        }
    }

    private final class Session {
        private let db: Database
        private let layout: WatchLayout
        private let deleteRef: RawStatement
        /// The box slots of the removed accounts, blanked at the end.
        private(set) var releases = WatchSealReleases()
        private(set) var problems: [(line: Int, text: String)] = []
        private(set) var problemCount = 0
        var outcome = Outcome()

        init(_ db: Database) throws {
            self.db = db
            layout = try WatchLayout.load(db)
            deleteRef = try RawStatement(db, "DELETE FROM watch_refs WHERE ref = ? RETURNING account")
        }

        func report(line: Int, _ text: String) {
            problemCount += 1
            if problems.count < ImportValidator.maxReportedProblems { problems.append((line, text)) }
        }

        func remove(_ ref: String) throws {
            guard problemCount == 0 else { return }
            deleteRef.bind(1, ref)
            guard try deleteRef.step() else {
                deleteRef.reset()
                outcome.notWatched += 1
                return
            }
            let id = deleteRef.int64(0)
            while try deleteRef.step() {}
            deleteRef.reset()
            outcome.removed += 1
            try releases.release(account: id, layout: layout, db)
        }
    }
}
