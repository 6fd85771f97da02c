/// A text that is not a member id (``MemberID``): which rule it breaks.
public struct MemberIDError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text refused (a member id, never a subject identifier).
    public let text: String
    /// Which rule was broken.
    public let reason: String

    public init(_ text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "invalid member id '\(text)': \(reason) (expected [a-z0-9][a-z0-9-]{0,62})" }
}
