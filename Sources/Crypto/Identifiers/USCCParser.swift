/// `uscc`: the 18-character unified social credit code of GB 32100-2015.
///
/// Characters come from `0-9` and `A-Z` without I, O, Z, S, V (31 symbols, values 0-30);
/// characters 3-8 are the registering authority's administrative division code (digits); the
/// 18th is a MOD 31 check character: weights 3^i mod 31 (1 3 9 27 19 26 16 17 20 29 25 13 8 24
/// 10 30 28), value = 31 - (sum mod 31), with 31 written as 0. Lower case is accepted.
enum USCCParser {
    enum Alphabet: CompactAlphabet {
        static var kind: IdentifierKind { .uscc }
        @inline(__always) static func isSignificant(_ byte: UInt8) -> Bool {
            NumericCompaction.isDigit(byte) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
        }
        @inline(__always) static func isSeparator(_ byte: UInt8) -> Bool {
            byte == 0x2D || byte == 0x2E
        }
    }

    /// Value of an upper-case symbol, or nil for I, O, Z, S, V and anything else.
    @inline(__always)
    static func value(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte &- 0x30)
        case 0x41...0x48: return Int(byte &- 0x41) + 10  // A-H
        case 0x4A...0x4E: return Int(byte &- 0x4A) + 18  // J-N
        case 0x50...0x52: return Int(byte &- 0x50) + 23  // P-R
        case 0x54...0x55: return Int(byte &- 0x54) + 26  // T-U
        case 0x57...0x59: return Int(byte &- 0x57) + 28  // W-Y
        default: return nil
        }
    }

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        try NumericCompaction.withCompacted(input, Alphabet.self) { (buffer, count) throws(IdentifierError) -> String in
            guard count != 0 else { throw IdentifierError(kind: .uscc, reason: .empty) }
            guard count == 18 else {
                throw IdentifierError(kind: .uscc, reason: .badLength(expected: "18 characters", actual: count))
            }
            var sum = 0
            var weight = 1  // 3^index mod 31
            for index in 0..<18 {
                let upper = InputFolding.asciiUppercased(buffer[index])
                buffer[index] = upper
                guard let value = value(upper), index < 2 || index > 7 || value < 10 else {
                    let position = NumericCompaction.position(ofSignificant: index, in: input, Alphabet.self)
                    throw IdentifierError(kind: .uscc, reason: .badCharacter(position: position))
                }
                if index < 17 {
                    sum &+= value &* weight
                    weight = weight &* 3 % 31
                } else if value != (31 - sum % 31) % 31 {
                    throw IdentifierError(kind: .uscc, reason: .checkCharacter)
                }
            }
            return InputFolding.string(UnsafeBufferPointer(rebasing: buffer[0..<18]))
        }
    }
}
