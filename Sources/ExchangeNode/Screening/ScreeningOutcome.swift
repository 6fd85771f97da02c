import ExchangeProtocol

/// What one screening call found: matches per account, and the origins it could not screen
/// against with certainty (their key epoch moved on since our last sync with them).
struct ScreeningOutcome: Sendable {
    var matches: [[ScreenMatch]]
    var staleOrigins: [StaleOrigin]
    /// Pairwise scheme: peers that could not mask our queries; their entries were not screened.
    var unreachableOrigins: [UnreachableOrigin] = []
}
