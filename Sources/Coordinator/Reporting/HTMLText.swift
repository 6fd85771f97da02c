import Foundation

/// Escaping for text placed in HTML or SVG (element content and quoted attribute values).
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` replaced by character references; control characters other than
    /// tab and newline dropped (they are not allowed in HTML text).
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension String {
    /// One decimal place without Foundation's locale-dependent formatting.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        self = sign + String(tenths.magnitude / 10) + "." + String(tenths.magnitude % 10)
    }
}
