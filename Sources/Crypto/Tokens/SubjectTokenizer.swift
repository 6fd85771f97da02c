/// Turns a canonical subject identifier into its token. Callers depend on this protocol only,
/// so a new scheme slots in without touching them.
public protocol SubjectTokenizer: Sendable {
    var descriptor: TokenSchemeDescriptor { get }
    func token(for identifier: SubjectIdentifier) -> Token
}

extension SubjectTokenizer {
    /// Tokenises a batch on the calling thread.
    public func tokens(for identifiers: some Collection<SubjectIdentifier>) -> [Token] {
        var out = [Token]()
        out.reserveCapacity(identifiers.count)
        for identifier in identifiers { out.append(token(for: identifier)) }
        return out
    }
}
