/// One 512-byte POSIX ustar header block, for the regular files of a backup archive
/// (docs/operations.md, "Design: backup file format"). Sizes of 8 GiB and more use the base-256
/// size encoding GNU tar and bsdtar read.
struct TarHeader: Sendable, Equatable {
    static let blockSize = 512
    /// The longest path a header's name field holds (no prefix field is used).
    static let maxPathBytes = 100

    var path: String
    var mode: UInt32
    var size: UInt64
    var modifiedAt: Int64

    /// The header block.
    func encoded() throws(NodeError) -> [UInt8] {
        let name = Array(path.utf8)
        guard !name.isEmpty, name.count <= Self.maxPathBytes else {
            throw NodeError.backupInvalid(path, "the path does not fit a tar header (at most \(Self.maxPathBytes) bytes)")
        }
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        block.replaceSubrange(0..<name.count, with: name)
        Self.writeOctal(UInt64(mode), into: &block, at: 100, width: 8)
        Self.writeOctal(0, into: &block, at: 108, width: 8)  // uid
        Self.writeOctal(0, into: &block, at: 116, width: 8)  // gid
        if size < 0o77777777777 {
            Self.writeOctal(size, into: &block, at: 124, width: 12)
        } else {
            block[124] = 0x80
            var remaining = size
            for index in stride(from: 135, through: 125, by: -1) {
                block[index] = UInt8(remaining & 0xFF)
                remaining >>= 8
            }
        }
        Self.writeOctal(UInt64(max(0, modifiedAt)), into: &block, at: 136, width: 12)
        block[156] = UInt8(ascii: "0")  // regular file
        block.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
        block.replaceSubrange(263..<265, with: Array("00".utf8))
        for index in 148..<156 { block[index] = UInt8(ascii: " ") }
        let checksum = block.reduce(UInt64(0)) { $0 + UInt64($1) }
        Self.writeOctal(checksum, into: &block, at: 148, width: 7)
        block[155] = UInt8(ascii: " ")
        return block
    }

    /// Decodes a header block; nil for an all-zero block (the end of the archive).
    static func decode(_ block: [UInt8], archive: String) throws(NodeError) -> TarHeader? {
        guard block.count == blockSize else { throw NodeError.backupInvalid(archive, "short tar header") }
        if block.allSatisfy({ $0 == 0 }) { return nil }
        var sum: UInt64 = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 32 : UInt64(byte) }
        guard let stored = readOctal(block, at: 148, width: 8), stored == sum else {
            throw NodeError.backupInvalid(archive, "tar header checksum mismatch")
        }
        guard Array(block[257..<262]) == Array("ustar".utf8) else { throw NodeError.backupInvalid(archive, "not a ustar archive") }
        guard block[156] == UInt8(ascii: "0") || block[156] == 0 else {
            throw NodeError.backupInvalid(archive, "the archive holds something other than a regular file")
        }
        guard block[345] == 0 else { throw NodeError.backupInvalid(archive, "tar path prefixes are not used by backups") }
        let nameBytes = block[0..<100].prefix { $0 != 0 }
        guard let name = String(validating: nameBytes, as: UTF8.self) else {
            throw NodeError.backupInvalid(archive, "a tar path is not UTF-8")
        }
        let size: UInt64
        if block[124] & 0x80 != 0 {
            var value: UInt64 = 0
            for index in 125...135 { value = value << 8 | UInt64(block[index]) }
            guard block[124] == 0x80, value < (1 << 62) else { throw NodeError.backupInvalid(archive, "tar size out of range") }
            size = value
        } else {
            guard let value = readOctal(block, at: 124, width: 12) else { throw NodeError.backupInvalid(archive, "bad tar size") }
            size = value
        }
        guard let mode = readOctal(block, at: 100, width: 8), mode <= 0o7777,
              let modified = readOctal(block, at: 136, width: 12) else {
            throw NodeError.backupInvalid(archive, "bad tar header field")
        }
        return TarHeader(path: name, mode: UInt32(mode), size: size, modifiedAt: Int64(modified))
    }

    /// Zero bytes after `size` bytes of content, up to the next block.
    static func padding(after size: UInt64) -> Int {
        let remainder = Int(size % UInt64(blockSize))
        return remainder == 0 ? 0 : blockSize - remainder
    }

    private static func writeOctal(_ value: UInt64, into block: inout [UInt8], at offset: Int, width: Int) {
        // width - 1 digits, then NUL.
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1)
        var remaining = value
        var index = digits.count - 1
        while remaining > 0, index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(remaining & 7)
            remaining >>= 3
            index -= 1
        }
        block.replaceSubrange(offset..<offset + width - 1, with: digits)
        block[offset + width - 1] = 0
    }

    private static func readOctal(_ block: [UInt8], at offset: Int, width: Int) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        for byte in block[offset..<offset + width] {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if digits > 0 { break } else { continue }
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "7") else { return nil }
            value = value << 3 | UInt64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return digits > 0 ? value : nil
    }
}
