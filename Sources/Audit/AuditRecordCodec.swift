#if canImport(Glibc)
import ExchangeCrypto
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The JSON Lines form of an ``AuditRecord``: one object per line, keys in this fixed order,
/// no spaces, detail keys sorted by UTF-8 bytes, hashes as lower-case hex, and the line ends in `\n`:
///
/// `{"seq":1,"time":"...","actor":"local","role":"internal","action":"...","outcome":"ok","detail":{"k":"v"},"prev":"<64 hex>","hash":"<64 hex>"}`
///
/// The parser is strict and the verifier also re-renders each parsed record and compares bytes, so
/// any text that is not exactly canonical (another escape, a leading zero, a space) counts as edited.
package enum AuditRecordCodec {
    /// The line for a record, including its final newline.
    package static func render(_ record: AuditRecord) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(320)
        out.append(contentsOf: #"{"seq":"#.utf8)
        out.append(contentsOf: String(record.seq).utf8)
        field("time", record.time, &out)
        field("actor", record.actor, &out)
        field("role", record.role.rawValue, &out)
        field("action", record.action, &out)
        field("outcome", record.outcome.rawValue, &out)
        out.append(contentsOf: #","detail":{"#.utf8)
        for (index, pair) in AuditRecord.sortedDetail(record.detail).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(pair.key, &out)
            out.append(UInt8(ascii: ":"))
            string(pair.value, &out)
        }
        out.append(UInt8(ascii: "}"))
        field("prev", record.prevHex, &out)
        field("hash", record.hashHex, &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// Whether `line` (without its newline) is exactly the rendering of `record`.
    static func isCanonical(_ record: AuditRecord, line: [UInt8]) -> Bool {
        let rendered = render(record)
        guard rendered.count == line.count + 1 else { return false }
        return rendered.withUnsafeBytes { a in line.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress!, b.count) == 0 } }
    }

    /// Parses one line (without its newline). Nil when it is not an audit record of this shape.
    static func parse(_ line: some Collection<UInt8>) -> AuditRecord? {
        var p = Parser(bytes: Array(line))
        guard p.literal(#"{"seq":"#), let seq = p.unsigned(),
              p.literal(#","time":"#), let time = p.string(),
              p.literal(#","actor":"#), let actor = p.string(),
              p.literal(#","role":"#), let roleText = p.string(), let role = AuditRole(rawValue: roleText),
              p.literal(#","action":"#), let action = p.string(),
              p.literal(#","outcome":"#), let outcomeText = p.string(), let outcome = AuditOutcome(rawValue: outcomeText),
              p.literal(#","detail":{"#)
        else { return nil }
        var detail: [String: String] = [:]
        if !p.literal("}") {
            repeat {
                guard let key = p.string(), p.literal(":"), let value = p.string() else { return nil }
                detail[key] = value
            } while p.literal(",")
            guard p.literal("}") else { return nil }
        }
        guard p.literal(#","prev":"#), let prevText = p.string(), let prev = Hex.decode(Array(prevText.utf8)), prev.count == 32,
              p.literal(#","hash":"#), let hashText = p.string(), let hash = Hex.decode(Array(hashText.utf8)), hash.count == 32,
              p.literal("}"), p.atEnd
        else { return nil }
        return AuditRecord(seq: seq, time: time, actor: actor, role: role, action: action, outcome: outcome,
                           detail: detail, prev: prev, claimedHash: hash)
    }

    /// Reads only the `seq` of a line, for the verifier's look-ahead.
    static func seq(of line: some Collection<UInt8>) -> UInt64? {
        var p = Parser(bytes: Array(line.prefix(32)))
        guard p.literal(#"{"seq":"#) else { return nil }
        return p.unsigned()
    }

    private static func field(_ name: String, _ value: String, _ out: inout [UInt8]) {
        out.append(contentsOf: ",\"\(name)\":".utf8)
        string(value, &out)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func string(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20, 0x7f:
                out += Array("\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A forward-only reader over one line.
    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func literal(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            guard bytes.count - index >= expected.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                return false
            }
            index += expected.count
            return true
        }

        mutating func unsigned() -> UInt64? {
            var value: UInt64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                guard !o1, !o2 else { return nil }
                value = sum
                index += 1
            }
            return index > start ? value : nil
        }

        mutating func string() -> String? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "n"): out.append(0x0a)
                    case UInt8(ascii: "r"): out.append(0x0d)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0c)
                    case UInt8(ascii: "u"):
                        guard let scalar = unicodeEscape() else { return nil }
                        out += Array(String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    out.append(byte)
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt32? {
            guard bytes.count - index >= 4 else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let c = bytes[index]
                index += 1
                let nibble: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(c - UInt8(ascii: "A") + 10)
                default: return nil
                }
                value = value << 4 | nibble
            }
            return value
        }

        private mutating func unicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4() else { return nil }
            if (0xD800...0xDBFF).contains(high) {
                guard literal("\\u"), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high)
        }
    }
}
