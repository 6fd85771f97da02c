/// Entry point for fuzzing the tabular readers: runs the CSV and JSONL parsers over arbitrary bytes,
/// with default limits and with tiny ones that force chunk-boundary and too-long paths. It must never
/// crash; it traps (on purpose) only if a reader breaks one of its own guarantees.
public enum InputFuzzEntry {
    private static let columns = ColumnSpec(required: [], optional: ["a", "b", "c"])
    private static let tiny = InputLimits(maxRecordBytes: 24, maxFieldBytes: 8, chunkBytes: 5)

    public static func parse(bytes: [UInt8]) {
        for format in TabularFormat.allCases {
            for limits in [InputLimits.default, tiny] {
                guard var reader = try? TabularReader(bytes: bytes, name: "fuzz", format: format, columns: columns, limits: limits)
                else { continue }
                var lastLine = 0
                var ended = false
                while !ended {
                    let batch: RowBatch?
                    do { batch = try reader.nextBatch(maxRows: 7) } catch { break }
                    guard let batch else { ended = true; break }
                    precondition(batch.recordCount > 0 && batch.recordCount <= 7, "batch size out of bounds")
                    var lines = batch.rows.map(\.line) + batch.problems.compactMap(\.line)
                    lines.sort()
                    for line in lines {
                        precondition(line > lastLine, "record lines must increase")
                        lastLine = line
                    }
                    for row in batch.rows { precondition(row.values.count == columns.count, "row width") }
                    precondition(reader.bytesRead <= reader.fileSize, "consumed more than the input")
                }
                if ended { precondition(reader.bytesRead == reader.fileSize, "input not fully consumed") }
            }
        }
    }
}
