/// One account to screen or watch: `{"ref","kind","identifier"}` (docs/openapi.yaml, `AccountItem`).
/// Field lengths are checked here (a request that breaks them is malformed); whether the kind is known
/// and the identifier valid is screening's business (the item is then listed in `rejected`).
struct AccountItem: Decodable, Sendable {
    static let maxRefLength = 256
    static let maxKindLength = 64
    static let maxIdentifierLength = 1024

    let ref: String
    let kind: String
    let identifier: String

    /// Nil when the lengths fit the contract; otherwise what is wrong (never the value).
    var problem: String? {
        if let problem = Self.refProblem(ref) { return problem }
        if kind.unicodeScalars.count > Self.maxKindLength { return "kind must be at most \(Self.maxKindLength) characters" }
        if identifier.unicodeScalars.count > Self.maxIdentifierLength {
            return "identifier must be at most \(Self.maxIdentifierLength) characters"
        }
        return nil
    }

    /// Nil when a ref fits the contract (1 to 256 characters, no control character); otherwise what is wrong.
    static func refProblem(_ ref: String) -> String? {
        let refLength = ref.unicodeScalars.count
        if refLength < 1 || refLength > maxRefLength { return "ref must be 1 to \(maxRefLength) characters" }
        if ref.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "ref must not hold control characters" }
        return nil
    }
}
