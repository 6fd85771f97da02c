import ExchangeCrypto
import GRDB

/// The screening index a registration screens its new accounts with, valid inside the
/// registration's transaction: the running process's own (the real-time screening engine's) when
/// it is as fresh as the store, otherwise loaded in the transaction.
struct WatchEntryIndex: Sendable {
    let scheme: TokenSchemeID
    /// The keyed-hash epoch in use; nil under the pairwise scheme (every origin's epoch).
    let epoch: UInt32?
    let cached: @Sendable () -> (index: TokenIndex, version: Int64)?

    init(keys: WatchKeys, cached: @escaping @Sendable () -> (index: TokenIndex, version: Int64)? = { nil }) {
        scheme = keys.scheme
        epoch = keys.scheme == .keyedHash ? keys.tokenizer.descriptor.epoch : nil
        self.cached = cached
    }

    func index(_ db: Database) throws -> TokenIndex {
        let version = try EntriesVersion.current(db)
        if let cached = cached(), cached.version == version { return cached.index }
        return try TokenIndex.load(db, scheme: scheme, epoch: epoch)
    }
}
