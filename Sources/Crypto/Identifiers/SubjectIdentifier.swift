/// One identifier of a subject, in its canonical form (DOMAIN.md, "Who is a subject").
///
/// Two inputs that name the same subject (`138 0013 8000` and `+86 13800138000`) parse to equal
/// values, so they yield the same token. Printing a `SubjectIdentifier` (string interpolation,
/// `print`, `dump`, a logger) shows only its kind, never the identifier: read `canonical` on
/// purpose where the raw value is really needed.
public struct SubjectIdentifier: Hashable, Sendable {
    /// What the identifier is.
    public let kind: IdentifierKind
    /// The canonical form per DOMAIN.md, e.g. `+8613800138000` or `11010519491231002X`.
    public let canonical: String

    /// Parses what a person typed into the canonical form, or throws why it is invalid.
    @inlinable
    public init(kind: IdentifierKind, parsing raw: some StringProtocol) throws(IdentifierError) {
        let canonical = try IdentifierParser.withUTF8(of: raw) { (bytes) throws(IdentifierError) -> String in
            try IdentifierParser.canonicalize(kind, bytes)
        }
        self.init(kind: kind, uncheckedCanonical: canonical)
    }

    /// For values already canonical (e.g. read back from a sealed store); no validation.
    @inlinable
    public init(kind: IdentifierKind, uncheckedCanonical: String) {
        self.kind = kind
        self.canonical = uncheckedCanonical
    }

    /// The canonical form's UTF-8 bytes (for hashing).
    @inlinable
    public var canonicalUTF8: [UInt8] {
        Array(canonical.utf8)
    }
}

extension SubjectIdentifier: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `phone(redacted)`: never the identifier itself.
    public var description: String { "\(kind.rawValue)(redacted)" }
    /// Same as `description`: never the identifier itself.
    public var debugDescription: String { description }
    /// Hides the canonical value from `dump` and debuggers' summaries.
    public var customMirror: Mirror { Mirror(self, children: ["kind": kind], displayStyle: .struct) }
}
