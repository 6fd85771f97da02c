/// What `AuditLog` finds at the end of an existing log when it opens it: where the chain stands,
/// whether the last line was torn by a crash, and the hashes of the last records (to compare with
/// the head file). Only the tail is read (256 KiB, more if a line needs it), not the whole log.
struct AuditTailInspection {
    var lastSeq: UInt64 = 0
    var lastHash: [UInt8] = AuditRecord.zeroHash
    var lastIsCheckpoint = false
    /// Ordinary records after the last checkpoint seen in the window.
    var recordsSinceCheckpoint = 0
    /// Length of the file up to and including its last newline.
    var intactLength = 0
    /// Bytes after the last newline: a torn write.
    var torn: [UInt8] = []
    /// Hashes of the records read, by sequence number.
    var hashes: [UInt64: [UInt8]] = [:]
    /// The smallest sequence number read; records before it were not looked at.
    var firstSeqRead: UInt64?

    static let initialWindow = 256 << 10

    static func inspect(_ file: AuditFile) throws(AuditError) -> AuditTailInspection {
        var result = AuditTailInspection()
        let size = try file.size()
        guard size > 0 else { return result }
        var window = min(size, initialWindow)
        while true {
            let start = size - window
            let bytes = try file.read(at: start, count: window)
            guard bytes.count == window else { throw .cannotRead(path: file.path, reason: "file shrank while being read") }
            guard let lastNewline = bytes.lastIndex(of: UInt8(ascii: "\n")) else {
                if start == 0 {
                    result.torn = bytes
                    return result
                }
                window = min(size, window * 2)
                continue
            }
            var lines = bytes[..<lastNewline].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if start > 0 { lines.removeFirst() }  // the window began inside that line
            if lines.isEmpty {
                window = min(size, window * 2)
                continue
            }
            result.intactLength = start + lastNewline + 1
            result.torn = Array(bytes[(lastNewline + 1)...])
            guard let last = AuditRecordCodec.parse(lines.last!), AuditRecordCodec.isCanonical(last, line: Array(lines.last!)),
                  last.hashIsConsistent
            else {
                throw .corruptTail(path: file.path, reason: "the last complete line is not a valid audit record")
            }
            result.lastSeq = last.seq
            result.lastHash = last.hash
            result.lastIsCheckpoint = last.isCheckpoint
            var countingSinceCheckpoint = true
            for line in lines.reversed() {
                guard let record = AuditRecordCodec.parse(line) else { continue }
                result.hashes[record.seq] = record.hash
                result.firstSeqRead = min(result.firstSeqRead ?? record.seq, record.seq)
                if record.isCheckpoint { countingSinceCheckpoint = false }
                if countingSinceCheckpoint, record.action != AuditAction.recovered.rawValue {
                    result.recordsSinceCheckpoint += 1
                }
            }
            return result
        }
    }

    /// The hash of the record with sequence number `seq`, reading the whole log if it lies before
    /// the tail window. Nil when no such record exists.
    static func hash(ofSeq seq: UInt64, in inspection: AuditTailInspection, path: String) throws(AuditError) -> [UInt8]? {
        if let hash = inspection.hashes[seq] { return hash }
        if let first = inspection.firstSeqRead, seq >= first { return nil }
        guard let file = try AuditFile.openForReading(path) else { return nil }
        defer { file.close() }
        var reader = AuditLineReader(file: file)
        while let line = try reader.next() {
            guard line.terminated, AuditRecordCodec.seq(of: line.bytes) == seq,
                  let record = AuditRecordCodec.parse(line.bytes) else { continue }
            return record.hash
        }
        return nil
    }
}
