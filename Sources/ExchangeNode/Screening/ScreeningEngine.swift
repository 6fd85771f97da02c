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

    /// The matches, and the origins that could not be screened with certainty (see ``StaleOrigin``): under
    /// the pairwise scheme peers whose answers were of another key epoch than our copy of their entries,
    /// under the keyed-hash scheme origins with entries under an epoch this node cannot screen.
    func screenReporting(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> ScreeningOutcome {
        switch self {
        case .keyed(let screener):
            for stale in screener.staleOrigins { NodeMetrics.shared.screeningOrigin(peer: stale.member, unreachable: false) }
            return ScreeningOutcome(matches: try screener.screen(accounts, on: day), staleOrigins: screener.staleOrigins)
        case .pairwise(let screener): return try await screener.screenReporting(accounts, on: day)
        }
    }

    package var index: TokenIndex {
        switch self {
        case .keyed(let screener): screener.index
        case .pairwise(let screener): screener.index
        }
    }
}
