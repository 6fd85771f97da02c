/// The domain-separated bytes that every scheme hashes for an identifier:
/// `label ‖ 0x00 ‖ kind code ‖ canonical UTF-8`. Written into a caller's buffer without allocating.
public enum TokenInput {
    /// Calls `body` with the encoding of `identifier` under `label` (an ASCII constant per scheme).
    @inlinable
    public static func withEncoding<R>(
        label: StaticString, identifier: SubjectIdentifier, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        var canonical = identifier.canonical
        return canonical.withUTF8 { value in
            let total = label.utf8CodeUnitCount + 2 + value.count
            return withUnsafeTemporaryAllocation(byteCount: total, alignment: 1) { buffer in
                let base = buffer.baseAddress!
                base.copyMemory(from: label.utf8Start, byteCount: label.utf8CodeUnitCount)
                var offset = label.utf8CodeUnitCount
                base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
                base.storeBytes(of: identifier.kind.code, toByteOffset: offset + 1, as: UInt8.self)
                offset += 2
                if let source = value.baseAddress, value.count > 0 {
                    (base + offset).copyMemory(from: source, byteCount: value.count)
                }
                return body(UnsafeRawBufferPointer(buffer))
            }
        }
    }
}
