/// An alliance member's identifier, as carried in its certificate (`urn:alliance:member:<ID>`)
/// and used for directory names: 1–63 characters, `[a-z0-9][a-z0-9-]{0,62}`.
public struct MemberID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Validates `rawValue`; the error says which rule was broken.
    public init(_ rawValue: String) throws(MemberIDError) {
        let bytes = Array(rawValue.utf8)
        guard let first = bytes.first else {
            throw MemberIDError(rawValue, reason: "empty")
        }
        guard bytes.count <= 63 else {
            throw MemberIDError(rawValue, reason: "longer than 63 characters")
        }
        guard Self.isLowerAlphanumeric(first) else {
            throw MemberIDError(rawValue, reason: "must start with a lower-case letter or digit")
        }
        for (offset, byte) in bytes.enumerated().dropFirst()
        where !(Self.isLowerAlphanumeric(byte) || byte == UInt8(ascii: "-")) {
            throw MemberIDError(
                rawValue,
                reason: "character \(offset + 1) is not a lower-case letter, digit or '-'"
            )
        }
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: MemberID, rhs: MemberID) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
