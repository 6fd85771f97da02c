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

/// Number formatting independent of the machine's locale.
enum NumberText {
    /// `1234567` → `1,234,567`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Short form for axis labels: `950`, `1.2k`, `34k`, `1.5M`.
    static func compact(_ value: Int) -> String {
        let magnitude = Double(value.magnitude)
        let sign = value < 0 ? "-" : ""
        func trimmed(_ number: Double, _ suffix: String) -> String {
            let rounded = (number * 10).rounded() / 10
            let text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
            return sign + text + suffix
        }
        if magnitude >= 1_000_000_000 { return trimmed(magnitude / 1_000_000_000, "B") }
        if magnitude >= 1_000_000 { return trimmed(magnitude / 1_000_000, "M") }
        if magnitude >= 10_000 { return sign + String(Int((magnitude / 1000).rounded())) + "k" }
        if magnitude >= 1000 { return trimmed(magnitude / 1000, "k") }
        return String(value)
    }

    /// `part` as a percentage of `whole`: one decimal, two below 1 % (match rates are small); `–` when
    /// `whole` is 0.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        guard part != 0 else { return "0%" }
        let value = Double(part) * 100 / Double(whole)
        let hundredths = Int((value * 100).rounded())
        if value >= 0, hundredths < 100 {
            return "0." + (hundredths < 10 ? "0" : "") + String(hundredths) + "%"
        }
        return String(format1: value) + "%"
    }

    /// Signed change from `previous` to `current` in percent, e.g. `+12.5%`; `new` when previous was 0.
    static func change(from previous: Int, to current: Int) -> String {
        if previous == 0 { return current == 0 ? "±0%" : "new" }
        let tenths = (Double(current - previous) * 1000 / Double(previous)).rounded()
        return (tenths > 0 ? "+" : tenths < 0 ? "" : "±") + String(format1: tenths / 10) + "%"
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
