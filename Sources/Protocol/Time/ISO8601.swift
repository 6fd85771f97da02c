#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Audit timestamps: UTC, millisecond precision, `2026-11-23T19:49:00.123Z`. The fixed width makes
/// them sort as text; `parse` also reads the shorter forms an operator types (`2026-11-23`,
/// `2026-11-23T19:49`, `...:00`, `...:00.5`) with `Z`, no zone (taken as UTC) or `+08:00`.
enum AuditTime {
    /// Milliseconds since 1970-01-01T00:00:00Z, from the system's real-time clock.
    static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    static func now() -> String { format(millis: nowMillis()) }

    static func format(millis: Int64) -> String {
        var seconds = time_t(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(millis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(ms, 3) + "Z"
    }

    /// Milliseconds since the epoch, or nil when the text is not one of the accepted forms.
    static func parse(_ text: String) -> Int64? {
        var reader = Array(text.utf8)[...]
        guard let year = number(&reader, digits: 4), take(&reader, "-"),
              let month = number(&reader, digits: 2), take(&reader, "-"),
              let day = number(&reader, digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0, millis = 0
        if take(&reader, "T") || take(&reader, " ") {
            guard let h = number(&reader, digits: 2), take(&reader, ":"), let m = number(&reader, digits: 2),
                  h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if take(&reader, ":") {
                guard let s = number(&reader, digits: 2), s < 61 else { return nil }
                second = s
                if take(&reader, ".") {
                    var scale = 100
                    var any = false
                    while let digit = reader.first, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
                        reader.removeFirst()
                        millis += Int(digit - UInt8(ascii: "0")) * scale
                        scale /= 10
                        any = true
                    }
                    guard any else { return nil }
                }
            }
        }
        var offsetMinutes = 0
        if take(&reader, "Z") {
        } else if let sign = reader.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.removeFirst()
            guard let oh = number(&reader, digits: 2), take(&reader, ":"), let om = number(&reader, digits: 2) else {
                return nil
            }
            offsetMinutes = (oh * 60 + om) * (sign == UInt8(ascii: "+") ? 1 : -1)
        }
        guard reader.isEmpty else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts)) - Int64(offsetMinutes) * 60
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
