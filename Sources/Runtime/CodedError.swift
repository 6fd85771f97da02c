/// An error with a stable ``ErrorCode``, a message in words for an operator (never a subject
/// identifier) and the error underneath when there is one. Two such errors are equal when their codes
/// are, so a test asserts which failure happened, not its wording.
public protocol CodedError: Error, Sendable, Hashable, CustomStringConvertible {
    var code: ErrorCode<Self> { get }
    var message: String { get }
    var underlying: (any Error & Sendable)? { get }
}

extension CodedError {
    /// The message, then the underlying error's own description.
    public var description: String {
        guard let underlying else { return message }
        return message + ": " + String(describing: underlying)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
