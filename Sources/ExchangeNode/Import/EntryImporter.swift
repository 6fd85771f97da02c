import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `import`: reads an entries file (CSV or JSONL), validates every row, and stores the entries
/// as this member's own signed events, all or nothing. One bad row anywhere rejects the file and
/// leaves the store unchanged; every bad row is reported as `FILE:LINE: field: reason`.
package struct EntryImporter {
    let context: NodeContext
    var threads = 2

    package init(context: NodeContext) {
        self.context = context
    }

    package struct Outcome: Sendable {
        package let rows: Int
        package let entries: Int
        package let created: Int
        package let replaced: Int
        package let identifiers: Int
        package let firstSeq: UInt64
        package let lastSeq: UInt64
        /// Match records the watched base received from these entries (docs/watch.md).
        package var watchMatches = 0
    }

    package func run(path: String, progress: ProgressBar? = nil) throws(NodeError) -> Outcome {
        let plan = try Self.validate(path: path, progress: progress)
        let publisher = EntryPublisher(member: context.member, keys: context.keys, tokenizer: try context.publishTokenizer(),
                                       keepSealedIdentifiers: context.config.keepSealedIdentifiers,
                                       clock: { NodeClock.nowMillis() }, watch: WatchArrival(context: context))
        let stored = try publisher.publish(plan.entries, into: context.store, threads: threads)
        let outcome = Outcome(rows: plan.rowCount, entries: plan.entries.count, created: stored.created,
                              replaced: stored.replaced, identifiers: stored.identifiers,
                              firstSeq: stored.firstSeq, lastSeq: stored.lastSeq, watchMatches: stored.watchMatches)
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: .importEntries, outcome: .ok,
                                        detail: ["rows": .count(outcome.rows), "entries": .count(outcome.entries),
                                                 "created": .count(outcome.created), "replaced": .count(outcome.replaced),
                                                 "first_seq": .seq(outcome.firstSeq), "last_seq": .seq(outcome.lastSeq)]))
        context.logger.info("import stored", metadata: ["rows": "\(outcome.rows)", "entries": "\(outcome.entries)"])
        return outcome
    }

    /// Reads and validates the whole file; throws ``NodeError/importRejected`` listing the bad rows.
    static func validate(path: String, progress: ProgressBar? = nil) throws(NodeError) -> (entries: [PlannedEntry], rowCount: Int) {
        let columns = ColumnSpec(required: EntryColumns.required, optional: EntryColumns.optional)
        var validator = ImportValidator(fileName: path)
        do {
            var reader = try TabularReader(path: path, columns: columns)
            while let batch = try reader.nextBatch(maxRows: 8192) {
                for problem in batch.problems {
                    validator.report(line: problem.line ?? 0, field: problem.field, reason: problem.reason)
                }
                for row in batch.rows { validator.add(line: row.line, values: row.values) }
                progress?.update(done: reader.bytesRead, total: reader.fileSize)
            }
        } catch {
            throw .importRejected(file: path, problems: [error.description], total: 1)
        }
        progress?.finish()
        if validator.problemCount > 0 {
            throw .importRejected(file: path, problems: validator.problems, total: validator.problemCount)
        }
        if validator.entries.isEmpty {
            throw .importRejected(file: path, problems: ["\(path): no rows"], total: 1)
        }
        return (validator.entries, validator.rowCount)
    }
}
