import ExchangeProtocol

enum AuditQuery {
    static func select(directory: String, filter: AuditFilter) throws(AuditError) -> AuditSelection {
        let path = directory + "/" + AuditLog.logFileName
        guard let file = try AuditFile.openForReading(path) else { throw .noLog(path: path) }
        defer { file.close() }
        var reader = AuditLineReader(file: file)
        var kept: [AuditRecord] = []
        var unreadable = 0
        var omitted = 0
        let limit = filter.limit.map { max(0, $0) }
        while let line = try reader.next() {
            guard let record = AuditRecordCodec.parse(line.bytes) else {
                unreadable += 1
                continue
            }
            guard filter.matches(record) else { continue }
            kept.append(record)
            if let limit, kept.count > limit * 2 + 64 {  // trim now and then, not on every record
                omitted += kept.count - limit
                kept.removeFirst(kept.count - limit)
            }
        }
        if let limit, kept.count > limit {
            omitted += kept.count - limit
            kept.removeFirst(kept.count - limit)
        }
        return AuditSelection(records: kept, unreadableLines: unreadable, omitted: omitted)
    }
}
