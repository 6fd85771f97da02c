/// Why a typed identifier was rejected.
///
/// Carries the identifier kind and a reason only: by design it never holds or prints the
/// value that was rejected, so it is safe to log and to show in an import report.
public struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind the value was parsed as.
    public let kind: IdentifierKind
    /// What is wrong with the value.
    public let reason: Reason

    /// What is wrong with a rejected value. No case carries any part of the value.
    public enum Reason: Sendable, Equatable {
        /// Nothing but whitespace and separators.
        case empty
        /// Wrong number of significant characters (or bytes, or labels, as `expected` says).
        case badLength(expected: String, actual: Int)
        /// The character at this 1-based position of the input as given (counted in Unicode
        /// scalars, leading whitespace included) is not allowed there.
        case badCharacter(position: Int)
        /// The check character (or check digit) does not match the rest.
        case checkCharacter
        /// The embedded birth date is not a real calendar date in the accepted range.
        case invalidDate
        /// A +86 (or unprefixed) number that is not a mainland mobile, 1[3-9] and 9 more digits.
        case notMainlandMobile
        /// An international number that is not valid E.164.
        case notE164
        /// Structurally wrong; the text is a fixed explanation, never the value.
        case malformed(String)
    }

    /// Creates an error. Callers must never put any part of the rejected value into `reason`.
    public init(kind: IdentifierKind, reason: Reason) {
        self.kind = kind
        self.reason = reason
    }

    /// For example `resident-id: check character does not match (GB 11643-1999 MOD 11-2)`.
    /// Never contains the rejected value.
    public var description: String {
        "\(kind.rawValue): \(reasonText)"
    }

    private var reasonText: String {
        switch reason {
        case .empty:
            return "value is empty"
        case .badLength(let expected, let actual):
            return "wrong length: expected \(expected), got \(actual)"
        case .badCharacter(let position):
            return "character \(position) is not allowed there"
        case .checkCharacter:
            switch kind {
            case .residentID: return "check character does not match (GB 11643-1999 MOD 11-2)"
            case .uscc: return "check character does not match (GB 32100-2015 MOD 31)"
            case .bankCard: return "check digit does not match (Luhn)"
            default: return "check character does not match"
            }
        case .invalidDate:
            return "birth date is not a real calendar date between 1800 and 2100"
        case .notMainlandMobile:
            return "not a mainland China mobile number (+86, then 1, then 3-9, then 9 more digits)"
        case .notE164:
            return "not an E.164 number (+, a country code not starting with 0, 8 to 15 digits in all)"
        case .malformed(let explanation):
            return explanation
        }
    }
}

extension IdentifierError {
    /// Builds a `.malformed` error from a compile-time constant, so no value can slip in.
    static func malformed(_ kind: IdentifierKind, _ explanation: StaticString) -> IdentifierError {
        IdentifierError(kind: kind, reason: .malformed(explanation.description))
    }
}
