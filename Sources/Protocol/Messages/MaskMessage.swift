/// The pairwise scheme's online step: a member sends its masked values `X25519(a, H(x))` to a peer,
/// which answers with `X25519(b, ·)` of each, in order.
///
/// Binary form (`application/vnd.exchange-node.mask`):
/// request  `"XNMQ" ‖ u16 version ‖ varint n ‖ n × 32-byte values`;
/// response `"XNMR" ‖ u16 version ‖ u32 epoch of the peer's key ‖ varint n ‖ n × 32-byte values`.
public enum MaskMessage {
    public static let contentType = "application/vnd.exchange-node.mask"
    public static let version: UInt16 = 1
    public static let maxValues = 50_000

    public static func encodeRequest(_ values: [Token]) -> [UInt8] {
        var writer = ByteWriter(capacity: 16 + values.count * 32)
        writer.raw(Array("XNMQ".utf8))
        writer.u16(version)
        writer.varint(UInt64(values.count))
        for value in values { writer.token(value) }
        return writer.bytes
    }

    public static func decodeRequest(_ bytes: [UInt8]) throws(WireError) -> [Token] {
        var reader = ByteReader(bytes)
        guard Array(try reader.raw("magic", count: 4)) == Array("XNMQ".utf8) else { throw .badMagic }
        let found = try reader.u16("version")
        guard found == version else { throw .unsupportedVersion(Int(found), supported: 1...1) }
        let values = try readValues(&reader)
        guard reader.isAtEnd else { throw .malformed("trailing bytes after mask request") }
        return values
    }

    public static func encodeResponse(epoch: UInt32, _ values: [Token]) -> [UInt8] {
        var writer = ByteWriter(capacity: 20 + values.count * 32)
        writer.raw(Array("XNMR".utf8))
        writer.u16(version)
        writer.u32(epoch)
        writer.varint(UInt64(values.count))
        for value in values { writer.token(value) }
        return writer.bytes
    }

    public static func decodeResponse(_ bytes: [UInt8]) throws(WireError) -> (epoch: UInt32, values: [Token]) {
        var reader = ByteReader(bytes)
        guard Array(try reader.raw("magic", count: 4)) == Array("XNMR".utf8) else { throw .badMagic }
        let found = try reader.u16("version")
        guard found == version else { throw .unsupportedVersion(Int(found), supported: 1...1) }
        let epoch = try reader.u32("epoch")
        let values = try readValues(&reader)
        guard reader.isAtEnd else { throw .malformed("trailing bytes after mask response") }
        return (epoch, values)
    }

    /// Values are bounded in number and never all-zero (the low-order X25519 result).
    static func readValues(_ reader: inout ByteReader) throws(WireError) -> [Token] {
        let count = try reader.varint("value count")
        guard count <= UInt64(maxValues) else { throw .oversized("values per mask request", limit: maxValues) }
        guard reader.remaining == Int(count) * 32 else { throw .malformed("value count does not match the body length") }
        var values = [Token]()
        values.reserveCapacity(Int(count))
        for _ in 0..<count {
            let value = try reader.token("value")
            guard !value.isZero else { throw .malformed("all-zero value refused") }
            values.append(value)
        }
        return values
    }
}
