import Foundation

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
