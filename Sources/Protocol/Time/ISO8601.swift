/// ISO 8601 timestamps, the one formatter and parser of the code base: UTC, millisecond precision,
/// `2026-11-23T19:49:00.123Z`. The fixed width makes them sort as text. Pure arithmetic on ``Day``:
/// no Foundation formatter, no locale, no time zone database.
///
/// ``parse(_:lenient:)`` reads back what ``format(millis:)`` writes (and any fraction of a second);
/// with `lenient` it also reads the shorter forms an operator types (`2026-11-23`, `2026-11-23T19:49`,
/// `...:00`, `...:00.5`, a space for the `T`) with `Z`, no zone (taken as UTC) or an offset such as `+08:00`.
public enum ISO8601 {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for milliseconds since 1970-01-01T00:00:00Z.
    public static func format(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let day = Day.utc(unixSeconds: seconds)
        let secondOfDay = Int(seconds - Int64(day.ordinal) * 86_400)
        return "\(day)T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(ms, 3))Z"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970-01-01T00:00:00Z (what the revocation list's `issued`
    /// and a token key's `created` hold, and certificate dates are shown as).
    public static func format(seconds: Int64) -> String {
        String(format(millis: seconds * 1000).dropLast(5)) + "Z"
    }

    /// `YYYY-MM-DD HH:MM UTC`, the minute a report was generated at.
    public static func minuteUTC(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let day = Day.utc(unixSeconds: seconds)
        let secondOfDay = Int(seconds - Int64(day.ordinal) * 86_400)
        return "\(day) \(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)) UTC"
    }

    /// Milliseconds since the epoch, or nil when `text` is not a timestamp.
    ///
    /// Strict (the default, for timestamps other programs wrote): `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, at
    /// most 9 fraction digits (cut to milliseconds). Lenient (for what an operator types): see the type.
    public static func parse(_ text: String, lenient: Bool = false) -> Int64? {
        var reader = Array(text.utf8)[...]
        guard let year = number(&reader, digits: 4), take(&reader, "-"),
              let month = number(&reader, digits: 2), take(&reader, "-"),
              let dayOfMonth = number(&reader, digits: 2),
              let day = Day(year: year, month: month, day: dayOfMonth)
        else { return nil }
        var hour = 0, minute = 0, second = 0, millis = 0
        if take(&reader, "T") || (lenient && take(&reader, " ")) {
            guard let h = number(&reader, digits: 2), take(&reader, ":"), let m = number(&reader, digits: 2),
                  h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if take(&reader, ":") {
                guard let s = number(&reader, digits: 2), s < 61 else { return nil }
                second = s
                if take(&reader, ".") {
                    var scale = 100
                    var digits = 0
                    while let digit = reader.first, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
                        reader.removeFirst()
                        millis += Int(digit - UInt8(ascii: "0")) * scale
                        scale /= 10
                        digits += 1
                    }
                    guard digits > 0, lenient || digits <= 9 else { return nil }
                }
            } else if !lenient {
                return nil
            }
        } else if !lenient {
            return nil
        }
        var offsetMinutes = 0
        if take(&reader, "Z") {
        } else if lenient, let sign = reader.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.removeFirst()
            guard let oh = number(&reader, digits: 2), take(&reader, ":"), let om = number(&reader, digits: 2) else {
                return nil
            }
            offsetMinutes = (oh * 60 + om) * (sign == UInt8(ascii: "+") ? 1 : -1)
        } else if !lenient {
            return nil
        }
        guard reader.isEmpty else { return nil }
        let seconds = Int64(day.ordinal) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes) * 60
        return seconds * 1000 + Int64(millis)
    }

    private static func number(_ reader: inout ArraySlice<UInt8>, digits: Int) -> Int? {
        guard reader.count >= digits else { return nil }
        var value = 0
        for _ in 0..<digits {
            let digit = reader.removeFirst()
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    private static func take(_ reader: inout ArraySlice<UInt8>, _ char: Unicode.Scalar) -> Bool {
        guard reader.first == UInt8(ascii: char) else { return false }
        reader.removeFirst()
        return true
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
