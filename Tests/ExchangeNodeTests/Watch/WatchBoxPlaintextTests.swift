import ExchangeCrypto
import Testing

@testable import ExchangeNode

/// The plaintext inside a sealed watch box (Watch/WatchBoxPlaintext.swift): format 2's exact bytes,
/// round trips of every kind of value, format 1 (v8 to v10) still read, and damaged plaintexts refused.
@Suite("Watch: box plaintext")
struct WatchBoxPlaintextTests {
    static func identifier(_ kind: IdentifierKind, _ value: String) -> SubjectIdentifier {
        SubjectIdentifier(kind: kind, uncheckedCanonical: value)
    }

    static func decode(_ plain: [UInt8]) throws -> [WatchSealBox.Slot] {
        try WatchBoxPlaintext.slotStarts(plain).map { try WatchBoxPlaintext.slot(plain, at: $0) }
    }

    static func same(_ left: [WatchSealBox.Slot], _ right: [WatchSealBox.Slot]) -> Bool {
        left.count == right.count && zip(left, right).allSatisfy { $0?.ref == $1?.ref && $0?.identifier == $1?.identifier }
    }

    @Test("format 2: a phone packs two digits a byte, a blank slot is one zero byte, a letter keeps the value as UTF-8")
    func exactBytes() {
        let slots: [WatchSealBox.Slot] = [
            ("a1", Self.identifier(.phone, "+861")),
            nil,
            ("b", Self.identifier(.email, "x@y.cn")),
        ]
        let plain = WatchBoxPlaintext.encode(slots)
        let phone = IdentifierKind.phone.code, email = IdentifierKind.email.code
        #expect(plain == [0xF2,
                          2, 0x61, 0x31, phone, 4 << 1 | 1, 0xA8, 0x61,
                          0,
                          1, 0x62, email, 6 << 1, 0x78, 0x40, 0x79, 0x2E, 0x63, 0x6E])
        #expect(WatchBoxPlaintext.size(ref: "a1", identifier: Self.identifier(.phone, "+861")) == 7)
        #expect(WatchBoxPlaintext.size(ref: "b", identifier: Self.identifier(.email, "x@y.cn")) == 10)
    }

    @Test("format 2 round trips: odd and even packed lengths, X in resident ids, letters, a 300-byte ref, UTF-8 refs, blanks")
    func roundTrips() throws {
        let slots: [WatchSealBox.Slot] = [
            ("acct-1", Self.identifier(.phone, "+8613900000001")),
            ("acct-2", Self.identifier(.phone, "+861390000001")),
            ("身份-3", Self.identifier(.residentID, "11010519491231002X")),
            nil,
            ("acct-4", Self.identifier(.uscc, "91350100M000100Y43")),
            ("acct-5", Self.identifier(.bankCard, "6222020200112233445")),
            (String(repeating: "r", count: 300), Self.identifier(.email, "someone@example.com")),
            nil,
        ]
        let plain = WatchBoxPlaintext.encode(slots)
        #expect(Self.same(try Self.decode(plain), slots))
        let sizes = slots.map { $0.map { WatchBoxPlaintext.size(ref: $0.ref, identifier: $0.identifier) } ?? 1 }
        #expect(plain.count == 1 + sizes.reduce(0, +), "size() is what encode() writes")
    }

    @Test("format 1 (v8 to v10) still reads: 2-byte lengths, the value as UTF-8")
    func formatOneReads() throws {
        var plain: [UInt8] = [0, 2, 0x61, 0x31]
        IdentifierSeal.encode(Self.identifier(.phone, "+8613900000001"), into: &plain)
        plain += [0, 0]
        #expect(Self.same(try Self.decode(plain), [("a1", Self.identifier(.phone, "+8613900000001")), nil]))
    }

    @Test("a damaged plaintext is refused: cut short, a varint without its end, a nibble that is no character")
    func damaged() throws {
        let plain = WatchBoxPlaintext.encode([("a1", Self.identifier(.phone, "+8613900000001"))])
        for cut in 2..<plain.count {
            #expect(throws: NodeError.self, "cut at \(cut)") { try Self.decode(Array(plain[0..<cut])) }
        }
        #expect(throws: NodeError.self) { try Self.decode([0xF2, 0x80]) }
        var badNibble = plain
        badNibble[badNibble.count - 1] = 0xCC
        #expect {
            try Self.decode(badNibble)
        } throws: { error in
            "\(error)".contains("sealed watch box: bad packed value")
        }
    }
}
