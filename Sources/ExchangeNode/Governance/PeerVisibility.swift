import ExchangeProtocol

/// Which of our entries one peer may see, from its peers file: the lists (`lists`) and, when the
/// file has them, the categories (`categories`). The feed, the anti-entropy digest and appeals
/// all apply this one filter, so a peer's copy and our digest of "what it may see" agree.
struct PeerVisibility: Sendable, Equatable {
    /// Allowed list codes (`ListKind.code`).
    let listCodes: Set<Int64>
    /// Allowed category codes (`Category.code`); nil means every category.
    let categoryCodes: Set<Int64>?

    init(lists: [ListKind], categories: [ExchangeProtocol.Category]? = nil) {
        listCodes = Set(lists.map { Int64($0.code) })
        categoryCodes = categories.map { Set($0.map { Int64($0.code) }) }
    }

    init(_ peer: PeerConfig) {
        self.init(lists: peer.lists, categories: peer.categories)
    }

    /// Whether an entry stored with these list and category codes is visible.
    func admits(listCode: Int64, categoryCode: Int64) -> Bool {
        guard listCodes.contains(listCode) else { return false }
        guard let categoryCodes else { return true }
        return categoryCodes.contains(categoryCode)
    }
}
