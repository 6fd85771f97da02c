/// Entry point shared by all kinds: gets at the input's UTF-8 bytes and dispatches per kind.
@usableFromInline
enum IdentifierParser {
    /// Runs `body` over the UTF-8 bytes of `text`, without copying when the storage is contiguous.
    @inlinable
    static func withUTF8<S: StringProtocol, R>(
        of text: S,
        _ body: (UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> R
    ) throws(IdentifierError) -> R {
        let direct = text.utf8.withContiguousStorageIfAvailable { bytes in
            Result { () throws(IdentifierError) -> R in try body(bytes) }
        }
        if let direct { return try direct.get() }
        var copy = String(text)
        let copied = copy.withUTF8 { bytes in
            Result { () throws(IdentifierError) -> R in try body(bytes) }
        }
        return try copied.get()
    }

    /// The canonical form of `bytes` (valid UTF-8, as typed) for `kind`.
    @usableFromInline
    static func canonicalize(_ kind: IdentifierKind, _ bytes: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        switch kind {
        case .uscc: try USCCParser.canonicalize(bytes)
        case .residentID: try ResidentIDParser.canonicalize(bytes)
        case .phone: try PhoneParser.canonicalize(bytes)
        case .email: try EmailParser.canonicalize(bytes)
        case .domain: try DomainParser.canonicalize(bytes)
        case .bankCard: try BankCardParser.canonicalize(bytes)
        case .app: try AppIDParser.canonicalize(bytes)
        case .account: try AccountParser.canonicalize(bytes)
        }
    }
}
