/// `phone`: a telephone number in E.164 form, `+8613800138000`.
///
/// Without a country code (no leading `+` or `00`) a number is taken as mainland China; `+86`
/// numbers must be mobiles, 1[3-9] and 9 more digits. Other country codes need valid E.164:
/// 8 to 15 digits in all, the first not 0. Spaces, hyphens, dots and parentheses are dropped,
/// full-width digits folded.
enum PhoneParser {
    enum Alphabet: CompactAlphabet {
        static var kind: IdentifierKind { .phone }
        @inline(__always) static func isSignificant(_ byte: UInt8) -> Bool {
            NumericCompaction.isDigit(byte) || byte == 0x2B  // +
        }
        @inline(__always) static func isSeparator(_ byte: UInt8) -> Bool {
            byte == 0x2D || byte == 0x2E || byte == 0x28 || byte == 0x29  // - . ( )
        }
    }

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        try NumericCompaction.withCompacted(input, Alphabet.self) { (buffer, count) throws(IdentifierError) -> String in
            guard count != 0 else { throw IdentifierError(kind: .phone, reason: .empty) }
            let stored = min(count, buffer.count)
            for index in 1..<max(stored, 1) where buffer[index] == 0x2B {
                let position = NumericCompaction.position(ofSignificant: index, in: input, Alphabet.self)
                throw IdentifierError(kind: .phone, reason: .badCharacter(position: position))
            }
            let digitsStart: Int
            if buffer[0] == 0x2B {
                digitsStart = 1
            } else if count >= 2, buffer[0] == 0x30, buffer[1] == 0x30 {
                digitsStart = 2
            } else {
                // No country code: a mainland number.
                guard isMainlandMobile(buffer, from: 0, count: count) else {
                    throw IdentifierError(kind: .phone, reason: .notMainlandMobile)
                }
                return mainland(buffer, from: 0)
            }
            let digits = count - digitsStart
            if digits >= 2, buffer[digitsStart] == 0x38, buffer[digitsStart + 1] == 0x36 {  // 86
                guard isMainlandMobile(buffer, from: digitsStart + 2, count: digits - 2) else {
                    throw IdentifierError(kind: .phone, reason: .notMainlandMobile)
                }
                return mainland(buffer, from: digitsStart + 2)
            }
            guard digits >= 8, digits <= 15, buffer[digitsStart] != 0x30 else {
                throw IdentifierError(kind: .phone, reason: .notE164)
            }
            return String(unsafeUninitializedCapacity: digits + 1) { out in
                out[0] = 0x2B
                for offset in 0..<digits { out[offset + 1] = buffer[digitsStart + offset] }
                return digits + 1
            }
        }
    }

    /// Exactly 11 digits, `1` then `3`-`9`.
    @inline(__always)
    private static func isMainlandMobile(_ buffer: UnsafeMutableBufferPointer<UInt8>, from start: Int, count: Int) -> Bool {
        count == 11 && buffer[start] == 0x31 && buffer[start + 1] >= 0x33 && buffer[start + 1] <= 0x39
    }

    /// `+86` and the 11 digits at `start`.
    @inline(__always)
    private static func mainland(_ buffer: UnsafeMutableBufferPointer<UInt8>, from start: Int) -> String {
        String(unsafeUninitializedCapacity: 14) { out in
            out[0] = 0x2B
            out[1] = 0x38
            out[2] = 0x36
            for offset in 0..<11 { out[offset + 3] = buffer[start + offset] }
            return 14
        }
    }
}
