/// Where the shared chain ends, as one `AuditLog` instance last saw it while holding the log lock:
/// the last record's seq and hash, whether it was a checkpoint, how many ordinary records follow
/// the last checkpoint, and the length of the file up to the end of that record.
struct AuditChainEnd: Sendable, Equatable {
    var seq: UInt64 = 0
    var hash: [UInt8] = AuditRecord.zeroHash
    var isCheckpoint = false
    /// Ordinary records (not checkpoints, not recovery records) after the last checkpoint.
    var sinceCheckpoint = 0
    /// Bytes of the file up to and including the last record's newline.
    var length = 0

    init() {}

    init(_ inspection: AuditTailInspection) {
        seq = inspection.lastSeq
        hash = inspection.lastHash
        isCheckpoint = inspection.lastIsCheckpoint
        sinceCheckpoint = inspection.recordsSinceCheckpoint
        length = inspection.intactLength
    }

    /// Moves the end past `record`, whose line (with its newline) is `lineLength` bytes.
    mutating func advance(past record: AuditRecord, lineLength: Int) {
        seq = record.seq
        hash = record.hash
        isCheckpoint = record.isCheckpoint
        if record.isCheckpoint {
            sinceCheckpoint = 0
        } else if record.action != AuditAction.recovered.rawValue {
            sinceCheckpoint += 1
        }
        length += lineLength
    }

    /// What other writers appended since this end was seen.
    enum CatchUp {
        /// Every new complete line continues the chain; `torn` holds bytes after the last newline.
        case continued(AuditChainEnd, torn: [UInt8])
        /// Too much to read here, or a line that does not continue the chain: inspect the tail afresh.
        case inspectAgain
    }

    /// Largest amount of new bytes read line by line; beyond it the tail is inspected instead.
    static let catchUpLimit = 1 << 20

    /// Reads the bytes from `length` to `size` (the file grew while this instance was not holding
    /// the lock) and follows the chain through them. Each line must parse, hash to what it claims,
    /// and link to the one before; `verify` does the full byte-for-byte check later.
    func catchUp(in file: AuditFile, size: Int) throws(AuditError) -> CatchUp {
        guard size > length, size - length <= Self.catchUpLimit else { return .inspectAgain }
        let bytes = try file.read(at: length, count: size - length)
        guard bytes.count == size - length else { return .inspectAgain }
        var end = self
        var start = 0
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            guard let record = AuditRecordCodec.parse(bytes[start..<newline]), record.hashIsConsistent,
                  record.seq == end.seq + 1, record.prev == end.hash
            else { return .inspectAgain }
            end.advance(past: record, lineLength: newline + 1 - start)
            start = newline + 1
        }
        return .continued(end, torn: Array(bytes[start...]))
    }
}
