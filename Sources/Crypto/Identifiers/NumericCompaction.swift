
/// The fast path of the numeric kinds (uscc, resident-id, phone, bank-card): one pass over the
/// UTF-8 bytes that folds, drops separators and keeps the significant ASCII characters in a
/// small stack buffer. No allocation, no `Character` iteration.
enum NumericCompaction {
    /// Room for the longest numeric identifier with slack; longer inputs are still counted.
    static let capacity = 32

    /// Stores the first `out.count` significant characters of `input` in `out` and returns how
    /// many significant characters there are in all. Throws `badCharacter` for anything that is
    /// neither significant nor a separator.
    @inline(__always)
    static func compact<A: CompactAlphabet>(
        _ input: UnsafeBufferPointer<UInt8>,
        into out: UnsafeMutableBufferPointer<UInt8>,
        _: A.Type
    ) throws(IdentifierError) -> Int {
        var index = 0
        var count = 0
        var position = 0
        while index < input.count {
            position += 1
            var byte = input[index]
            if byte < 0x80 {
                index += 1
            } else {
                guard let (value, length) = InputFolding.decodeScalar(input, at: index),
                      let folded = InputFolding.foldedASCII(value)
                else {
                    throw IdentifierError(kind: A.kind, reason: .badCharacter(position: position))
                }
                index += length
                byte = folded
            }
            if InputFolding.isASCIISpace(byte) || A.isSeparator(byte) { continue }
            guard A.isSignificant(byte) else {
                throw IdentifierError(kind: A.kind, reason: .badCharacter(position: position))
            }
            if count < out.count { out[count] = byte }
            count += 1
        }
        return count
    }

    /// The 1-based input position of significant character number `significantIndex`
    /// (0-based). Only used on error paths, so it simply scans again.
    static func position<A: CompactAlphabet>(
        ofSignificant significantIndex: Int,
        in input: UnsafeBufferPointer<UInt8>,
        _: A.Type
    ) -> Int {
        var index = 0
        var seen = 0
        var position = 0
        while index < input.count {
            position += 1
            var byte = input[index]
            if byte < 0x80 {
                index += 1
            } else {
                guard let (value, length) = InputFolding.decodeScalar(input, at: index) else { return position }
                index += length
                byte = InputFolding.foldedASCII(value) ?? 0
            }
            if InputFolding.isASCIISpace(byte) || A.isSeparator(byte) { continue }
            if seen == significantIndex { return position }
            seen += 1
        }
        return position
    }

    /// Runs `body` with a stack buffer holding the compacted input and its significant count.
    @inline(__always)
    static func withCompacted<A: CompactAlphabet, R>(
        _ input: UnsafeBufferPointer<UInt8>,
        _ alphabet: A.Type,
        _ body: (UnsafeMutableBufferPointer<UInt8>, Int) throws(IdentifierError) -> R
    ) throws(IdentifierError) -> R {
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { (buffer) throws(IdentifierError) -> R in
            let count = try compact(input, into: buffer, alphabet)
            return try body(buffer, count)
        }
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }
}
