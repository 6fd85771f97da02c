/// `bank-card`: a payment card number, 12 to 19 digits with a Luhn check digit.
enum BankCardParser {
    enum Alphabet: CompactAlphabet {
        static var kind: IdentifierKind { .bankCard }
        @inline(__always) static func isSignificant(_ byte: UInt8) -> Bool { NumericCompaction.isDigit(byte) }
        @inline(__always) static func isSeparator(_ byte: UInt8) -> Bool { byte == 0x2D || byte == 0x2E }
    }

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        try NumericCompaction.withCompacted(input, Alphabet.self) { (buffer, count) throws(IdentifierError) -> String in
            guard count != 0 else { throw IdentifierError(kind: .bankCard, reason: .empty) }
            guard count >= 12, count <= 19 else {
                throw IdentifierError(kind: .bankCard, reason: .badLength(expected: "12 to 19 digits", actual: count))
            }
            var sum = 0
            var doubled = false
            for index in stride(from: count - 1, through: 0, by: -1) {
                var digit = Int(buffer[index] &- 0x30)
                if doubled {
                    digit &*= 2
                    if digit > 9 { digit &-= 9 }
                }
                sum &+= digit
                doubled.toggle()
            }
            guard sum % 10 == 0 else { throw IdentifierError(kind: .bankCard, reason: .checkCharacter) }
            return InputFolding.string(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
