/// Reads what ``ByteWriter`` wrote, with bounds checks on every step: a hostile or truncated
/// buffer produces a ``WireError``, never a crash.
public struct ByteReader: ~Copyable {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset >= bytes.count }

    private mutating func need(_ count: Int, _ what: StaticString) throws(WireError) {
        guard count >= 0, remaining >= count else { throw .truncated(String(describing: what)) }
    }

    public mutating func u8(_ what: StaticString = "byte") throws(WireError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16(_ what: StaticString = "u16") throws(WireError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func u32(_ what: StaticString = "u32") throws(WireError) -> UInt32 {
        try need(4, what)
        var value: UInt32 = 0
        for index in offset..<offset + 4 { value = value << 8 | UInt32(bytes[index]) }
        offset += 4
        return value
    }

    public mutating func u64(_ what: StaticString = "u64") throws(WireError) -> UInt64 {
        try need(8, what)
        var value: UInt64 = 0
        for index in offset..<offset + 8 { value = value << 8 | UInt64(bytes[index]) }
        offset += 8
        return value
    }

    public mutating func i32(_ what: StaticString = "i32") throws(WireError) -> Int32 {
        Int32(bitPattern: try u32(what))
    }

    public mutating func varint(_ what: StaticString = "varint") throws(WireError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try u8(what)
            guard shift < 64, !(shift == 63 && byte > 1) else { throw .malformed("\(what): varint overflows 64 bits") }
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 {
                // Minimal encoding only (what ByteWriter writes): a zero final group after a continuation is padding.
                guard byte != 0 || shift == 0 else { throw .malformed("\(what): varint is not minimally encoded") }
                return value
            }
            shift += 7
        }
    }

    /// A length-prefixed byte field of at most `limit` bytes.
    public mutating func data(_ what: StaticString, limit: Int) throws(WireError) -> ArraySlice<UInt8> {
        let length = try varint(what)
        guard length <= UInt64(limit) else { throw .oversized(String(describing: what), limit: limit) }
        try need(Int(length), what)
        defer { offset += Int(length) }
        return bytes[offset..<offset + Int(length)]
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes; invalid UTF-8 is refused.
    public mutating func string(_ what: StaticString, limit: Int) throws(WireError) -> String {
        let raw = try data(what, limit: limit)
        guard let text = String(validating: raw, as: UTF8.self) else { throw .malformed("\(what): not UTF-8") }
        return text
    }

    public mutating func token(_ what: StaticString = "token") throws(WireError) -> Token32 {
        Token32(w0: try u64(what), w1: try u64(what), w2: try u64(what), w3: try u64(what))
    }

    /// Exactly `count` raw bytes.
    public mutating func raw(_ what: StaticString, count: Int) throws(WireError) -> ArraySlice<UInt8> {
        try need(count, what)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}
