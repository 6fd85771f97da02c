extension AuditRecord {
    /// The record as a line of text (`audit show`): seq, time, outcome, role/actor, action, then sorted
    /// detail, without the checkpoint signatures.
    public var textLine: String {
        var parts = [String(seq), time, outcome.rawValue, "\(role.rawValue)/\(actor)", action]
        for pair in AuditRecord.sortedDetail(detail) where pair.key != "signature" && pair.key != "headSignature" {
            parts.append("\(pair.key)=\(pair.value)")
        }
        return parts.joined(separator: "  ")
    }
}
