/// The two tabular formats `import` and `screen` read: RFC 4180 CSV with a header line, and
/// JSON Lines (one flat JSON object per line; `.ndjson` is the same format under another name).
public enum TabularFormat: String, Sendable, Equatable, CaseIterable {
    case csv
    case jsonl

    /// The format a path's extension implies (`.csv`, `.jsonl`, `.ndjson`, any letter case), or nil.
    public init?(inferringFrom path: String) {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv": self = .csv
        case "jsonl", "ndjson": self = .jsonl
        default: return nil
        }
    }
}
