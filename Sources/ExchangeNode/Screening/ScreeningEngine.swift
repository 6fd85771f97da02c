import ExchangeProtocol

/// How accounts are screened: locally under the keyed-hash scheme, or with one online masking
/// round per peer under the pairwise scheme. Both give the same ``ScreenMatch`` output.
enum ScreeningEngine: Sendable {
    case keyed(Screener)
    case pairwise(PairwiseScreener)

    func screen(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> [[ScreenMatch]] {
        switch self {
        case .keyed(let screener): try screener.screen(accounts, on: day)
        case .pairwise(let screener): try await screener.screen(accounts, on: day)
        }
    }

    var index: TokenIndex {
        switch self {
        case .keyed(let screener): screener.index
        case .pairwise(let screener): screener.index
        }
    }
}
