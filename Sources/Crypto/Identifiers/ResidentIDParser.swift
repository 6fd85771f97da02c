/// `resident-id`: the 18-character resident identity number of GB 11643-1999.
///
/// 17 digits (6-digit area, 8-digit birth date, 3-digit sequence) and an ISO 7064 MOD 11-2
/// check character (`0`-`9` or `X`). A 15-digit number of the first generation (YYMMDD birth
/// date, no check character) is upgraded: "19" goes in front of the year and the check
/// character is computed.
enum ResidentIDParser {
    enum Alphabet: CompactAlphabet {
        static var kind: IdentifierKind { .residentID }
        @inline(__always) static func isSignificant(_ byte: UInt8) -> Bool {
            NumericCompaction.isDigit(byte) || byte == 0x58 || byte == 0x78  // X, x
        }
        @inline(__always) static func isSeparator(_ byte: UInt8) -> Bool {
            byte == 0x2D || byte == 0x2E
        }
    }

    static let earliestBirthYear = 1800
    static let latestBirthYear = 2100

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        try NumericCompaction.withCompacted(input, Alphabet.self) { (buffer, count) throws(IdentifierError) -> String in
            switch count {
            case 0:
                throw IdentifierError(kind: .residentID, reason: .empty)
            case 18:
                try requireDigits(buffer, 0..<17, input)
                if buffer[17] == 0x78 { buffer[17] = 0x58 }  // x -> X
                try requireDate(buffer, yearAt: 6, centuryGiven: true)
                guard buffer[17] == checkCharacter(buffer) else {
                    throw IdentifierError(kind: .residentID, reason: .checkCharacter)
                }
            case 15:
                try requireDigits(buffer, 0..<15, input)
                try requireDate(buffer, yearAt: 6, centuryGiven: false)
                var index = 14
                while index >= 6 {  // make room for the century
                    buffer[index + 2] = buffer[index]
                    index -= 1
                }
                buffer[6] = 0x31
                buffer[7] = 0x39
                buffer[17] = checkCharacter(buffer)
            default:
                throw IdentifierError(kind: .residentID, reason: .badLength(expected: "18 characters (or 15 digits for an old number)", actual: count))
            }
            return InputFolding.string(UnsafeBufferPointer(rebasing: buffer[0..<18]))
        }
    }

    /// ISO 7064 MOD 11-2 over the first 17 digits: weights 2^(17-i) mod 11 (7 9 10 5 8 4 2 1 6 3
    /// 7 9 10 5 8 4 2), evaluated Horner-style; the character makes the weighted sum ≡ 1 mod 11.
    @inline(__always)
    static func checkCharacter(_ digits: UnsafeMutableBufferPointer<UInt8>) -> UInt8 {
        var accumulator = 0
        for index in 0..<17 {
            accumulator = ((accumulator + Int(digits[index] &- 0x30)) &* 2) % 11
        }
        let value = (12 - accumulator) % 11
        return value == 10 ? 0x58 : UInt8(0x30 + value)
    }

    @inline(__always)
    private static func requireDigits(
        _ buffer: UnsafeMutableBufferPointer<UInt8>, _ range: Range<Int>, _ input: UnsafeBufferPointer<UInt8>
    ) throws(IdentifierError) {
        for index in range where !NumericCompaction.isDigit(buffer[index]) {
            let position = NumericCompaction.position(ofSignificant: index, in: input, Alphabet.self)
            throw IdentifierError(kind: .residentID, reason: .badCharacter(position: position))
        }
    }

    /// Birth date YYYYMMDD (or YYMMDD in the 20th century) starting at `yearAt`.
    @inline(__always)
    private static func requireDate(
        _ buffer: UnsafeMutableBufferPointer<UInt8>, yearAt start: Int, centuryGiven: Bool
    ) throws(IdentifierError) {
        @inline(__always) func number(_ from: Int, _ length: Int) -> Int {
            var value = 0
            for index in from..<from + length { value = value * 10 + Int(buffer[index] &- 0x30) }
            return value
        }
        let yearLength = centuryGiven ? 4 : 2
        let year = centuryGiven ? number(start, 4) : 1900 + number(start, 2)
        let month = number(start + yearLength, 2)
        let day = number(start + yearLength + 2, 2)
        guard CalendarDate.isValid(year: year, month: month, day: day),
              year >= earliestBirthYear, year <= latestBirthYear
        else {
            throw IdentifierError(kind: .residentID, reason: .invalidDate)
        }
    }
}
