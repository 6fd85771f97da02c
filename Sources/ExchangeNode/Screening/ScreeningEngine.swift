import ExchangeProtocol

/// How accounts are screened: locally under the keyed-hash scheme, or with one online masking
/// round per peer under the pairwise scheme. Both give the same ``ScreenMatch`` output.
package enum ScreeningEngine: Sendable {
    case keyed(Screener)
    case pairwise(PairwiseScreener)

    package func screen(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> [[ScreenMatch]] {
        switch self {
        case .keyed(let screener): try screener.screen(accounts, on: day)
        case .pairwise(let screener): try await screener.screen(accounts, on: day)
        }
    }

    /// The matches, and under the pairwise scheme the peers whose answers were of another key
    /// epoch than our copy of their entries (see ``StaleOrigin``).
    func screenReporting(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> ScreeningOutcome {
        switch self {
        case .keyed(let screener): ScreeningOutcome(matches: try screener.screen(accounts, on: day), staleOrigins: [])
        case .pairwise(let screener): try await screener.screenReporting(accounts, on: day)
        }
    }

    package var index: TokenIndex {
        switch self {
        case .keyed(let screener): screener.index
        case .pairwise(let screener): screener.index
        }
    }
}
