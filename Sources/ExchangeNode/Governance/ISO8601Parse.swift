import ExchangeProtocol

/// Reads back the timestamps ``ISO8601/format(millis:)`` writes (`YYYY-MM-DDTHH:MM:SS[.mmm]Z`).
enum ISO8601Parse {
    static func millis(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let day = Day(parsing: String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count, !range.isEmpty else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let hours = number(11..<13), let minutes = number(14..<16), let seconds = number(17..<19),
              hours < 24, minutes < 60, seconds < 61 else { return nil }
        var millis: Int64 = 0
        if bytes[19] == UInt8(ascii: ".") {
            let fraction = 20..<(bytes.count - 1)
            guard let value = number(fraction), fraction.count <= 9 else { return nil }
            var scaled = value
            var digits = fraction.count
            while digits > 3 { scaled /= 10; digits -= 1 }
            while digits < 3 { scaled *= 10; digits += 1 }
            millis = scaled
        } else if bytes.count != 20 {
            return nil
        }
        return (Int64(day.ordinal) * 86_400 + hours * 3600 + minutes * 60 + seconds) * 1000 + millis
    }
}
