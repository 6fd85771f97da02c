import ExchangeCrypto

/// The plaintext of a sealed watch box (`WatchSealBox`): its slots, one after another.
///
/// **Format 2** (written from v11 on): the byte `0xF2`, then per slot
/// - `varint(ref length)`, 0 for a blank slot, and the ref's UTF-8;
/// - the identifier's kind code;
/// - `varint(value length << 1 | packed)` and the value: when every character is a digit, `+` or `X`
///   (phones, resident ids, bank cards) two characters per byte (nibbles 0–9, 10 for `+`, 11 for `X`;
///   an odd count ends with 0xF), otherwise its UTF-8.
///
/// Varints are LEB128 (7 bits a byte, low bits first). A phone slot with an 8-character ref takes 18
/// bytes instead of format 1's 27.
///
/// **Format 1** (v8 to v10), still read: per slot `ref length (2 bytes, big endian)`, the ref, then
/// `kind ‖ value length (2 bytes) ‖ value`. Its first byte is at most 4 (a ref is at most 256 characters,
/// 1 024 UTF-8 bytes), so never 0xF2.
enum WatchBoxPlaintext {
    static let formatTwo: UInt8 = 0xF2

    /// The bytes `identifier` of the account `ref` takes in a format-2 box.
    static func size(ref: String, identifier: SubjectIdentifier) -> Int {
        let refLength = ref.utf8.count
        let value = identifier.canonical.utf8
        let valueBytes = isPackable(value) ? (value.count + 1) / 2 : value.count
        return varintSize(refLength) + refLength + 1 + varintSize(value.count << 1 | 1) + valueBytes
    }

    /// The format-2 plaintext of `slots`.
    static func encode(_ slots: [WatchSealBox.Slot]) -> [UInt8] {
        var plain: [UInt8] = [formatTwo]
        plain.reserveCapacity(slots.count * 24 + 1)
        for slot in slots {
            guard let slot else {
                plain.append(0)
                continue
            }
            let ref = slot.ref.utf8
            appendVarint(ref.count, to: &plain)
            plain += ref
            plain.append(slot.identifier.kind.code)
            let value = slot.identifier.canonical.utf8
            if isPackable(value) {
                appendVarint(value.count << 1 | 1, to: &plain)
                var pending: UInt8?
                for byte in value {
                    let nibble = self.nibble(byte)
                    if let high = pending {
                        plain.append(high << 4 | nibble)
                        pending = nil
                    } else {
                        pending = nibble
                    }
                }
                if let high = pending { plain.append(high << 4 | 0xF) }
            } else {
                appendVarint(value.count << 1, to: &plain)
                plain += value
            }
        }
        return plain
    }

    /// Where each slot of `plain` (either format) starts.
    static func slotStarts(_ plain: [UInt8]) throws(NodeError) -> [Int] {
        var starts: [Int] = []
        if plain.first == formatTwo {
            var offset = 1
            while offset < plain.count {
                starts.append(offset)
                let refLength = try varint(plain, at: &offset)
                guard refLength > 0 else { continue }
                offset += refLength + 1
                guard offset < plain.count else { throw truncated }
                let header = try varint(plain, at: &offset)
                offset += header & 1 == 1 ? ((header >> 1) + 1) / 2 : header >> 1
                guard offset <= plain.count else { throw truncated }
            }
            guard offset == plain.count else { throw truncated }
            return starts
        }
        var offset = 0
        while offset + 2 <= plain.count {
            starts.append(offset)
            let length = Int(plain[offset]) << 8 | Int(plain[offset + 1])
            offset += 2
            guard length > 0 else { continue }
            offset += length
            guard offset + 3 <= plain.count else { throw truncated }
            offset += 3 + (Int(plain[offset + 1]) << 8 | Int(plain[offset + 2]))
        }
        guard offset == plain.count else { throw truncated }
        return starts
    }

    /// The slot that starts at `start` in `plain` (a start ``slotStarts(_:)`` gave).
    static func slot(_ plain: [UInt8], at start: Int) throws(NodeError) -> WatchSealBox.Slot {
        var offset = start
        guard plain.first == formatTwo else {
            let length = Int(plain[offset]) << 8 | Int(plain[offset + 1])
            offset += 2
            guard length > 0 else { return nil }
            let ref = String(decoding: plain[offset..<offset + length], as: UTF8.self)
            offset += length
            do {
                return (ref, try IdentifierSeal.decode(plain, at: &offset))
            } catch {
                throw NodeError.store("sealed watch box: bad identifier", underlying: error)
            }
        }
        let refLength = try varint(plain, at: &offset)
        guard refLength > 0 else { return nil }
        let ref = String(decoding: plain[offset..<offset + refLength], as: UTF8.self)
        offset += refLength
        guard let kind = IdentifierKind(code: plain[offset]) else { throw NodeError.store("sealed watch box: unknown kind") }
        offset += 1
        let header = try varint(plain, at: &offset)
        let count = header >> 1
        let value: String
        if header & 1 == 1 {
            var characters: [UInt8] = []
            characters.reserveCapacity(count)
            for index in 0..<count {
                let byte = plain[offset + index / 2]
                guard let character = character(index % 2 == 0 ? byte >> 4 : byte & 0xF) else {
                    throw NodeError.store("sealed watch box: bad packed value")
                }
                characters.append(character)
            }
            value = String(decoding: characters, as: UTF8.self)
        } else {
            value = String(decoding: plain[offset..<offset + count], as: UTF8.self)
        }
        return (ref, SubjectIdentifier(kind: kind, uncheckedCanonical: value))
    }

    // MARK: - Pieces

    private static let truncated = NodeError.store("sealed watch box: truncated")

    private static func isPackable(_ value: String.UTF8View) -> Bool {
        !value.isEmpty && value.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x58 }
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x2B: 10
        case 0x58: 11
        default: byte - 0x30
        }
    }

    private static func character(_ nibble: UInt8) -> UInt8? {
        switch nibble {
        case 0...9: 0x30 + nibble
        case 10: 0x2B
        case 11: 0x58
        default: nil
        }
    }

    private static func varintSize(_ value: Int) -> Int {
        var size = 1
        var rest = value >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    private static func appendVarint(_ value: Int, to plain: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            plain.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        plain.append(UInt8(rest))
    }

    /// Reads the varint at `offset` (at most 4 bytes).
    private static func varint(_ plain: [UInt8], at offset: inout Int) throws(NodeError) -> Int {
        var value = 0
        var shift = 0
        while offset < plain.count, shift < 28 {
            let byte = plain[offset]
            offset += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw truncated
    }
}
