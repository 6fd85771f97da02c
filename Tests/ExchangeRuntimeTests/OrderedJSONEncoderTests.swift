import Foundation
import Testing

@testable import ExchangeRuntime

/// The JSON every answer and `screen` line is written with: field order kept (or keys sorted), strings
/// escaped as the node always escaped them.
@Suite("Ordered JSON encoder")
struct OrderedJSONEncoderTests {
    struct Ordered: Encodable {
        let zulu: Int
        let alpha: String
        let mike: [String]
        let none: String?
        let explicitNull: String?
        let bytes: Data

        enum CodingKeys: String, CodingKey { case zulu, alpha, mike, none, explicitNull = "explicit_null", bytes }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(zulu, forKey: .zulu)
            try c.encode(alpha, forKey: .alpha)
            try c.encode(mike, forKey: .mike)
            try c.encodeIfPresent(none, forKey: .none)
            try c.encodeNil(forKey: .explicitNull)
            try c.encode(bytes, forKey: .bytes)
        }
    }

    static let value = Ordered(zulu: -3, alpha: "a/b \"q\" \\ \n\t\r\u{1}中", mike: ["x", "y"], none: nil, explicitNull: nil,
                               bytes: Data([0, 1, 2, 255]))

    @Test("fields come out in the order encode(to:) writes them; nil skipped unless encoded as null")
    func order() throws {
        #expect(try OrderedJSONEncoder().string(Self.value)
                == #"{"zulu":-3,"alpha":"a/b \"q\" \\ \n\t\r\u0001中","mike":["x","y"],"explicit_null":null,"bytes":"AAEC/w=="}"#)
    }

    @Test("sorted keys give what Foundation's JSONEncoder gives with sortedKeys and unescaped slashes")
    func sorted() throws {
        struct Plain: Encodable {
            let b: [String: Int]
            let a: String
            let c: UInt32?
        }
        let plain = Plain(b: ["z": 1, "a": 2, "m": 3], a: "x/y", c: 7)
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(try OrderedJSONEncoder(sortedKeys: true).string(plain) == String(decoding: try foundation.encode(plain), as: UTF8.self))
        #expect(try OrderedJSONEncoder(sortedKeys: true).string(plain) == #"{"a":"x/y","b":{"a":2,"m":3,"z":1},"c":7}"#)
    }

    @Test("strings are escaped exactly as JSONText quotes them")
    func escaping() throws {
        let text = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }.joined() + "é中😀"
        #expect(try OrderedJSONEncoder().string([text]) == "[" + JSONText.quote(text) + "]")
    }

    @Test("JSONText quotes: plain text as it is, escapes for quote, backslash and controls, non-ASCII untouched")
    func quoting() {
        #expect(JSONText.quote("GP-7 member-1 2026-12-07") == #""GP-7 member-1 2026-12-07""#)
        #expect(JSONText.quote(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(JSONText.quote("l1\nl2\r\t\u{01}\u{1f}é中😀\u{7f}") == #""l1\nl2\r\t\u0001\u001fé中😀"# + "\u{7f}\"")
        #expect(JSONText.quote("") == "\"\"")
        let decoded = try? JSONDecoder().decode([String].self, from: Data(("[" + JSONText.quote("x\"\\\n\u{0}é") + "]").utf8))
        #expect(decoded == ["x\"\\\n\u{0}é"])
    }
}
