import Foundation

/// RFC 4180 CSV writing, safe to open in a spreadsheet.
enum CSVText {
    /// One cell: a cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so a
    /// spreadsheet shows it as text instead of running it as a formula; then it is quoted (with `"`
    /// doubled) when it holds a comma, quote or line break.
    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
            return value
        }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Rows joined with CRLF line ends, as RFC 4180 asks.
    static func document(_ rows: [[String]]) -> String {
        rows.map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
    }
}
