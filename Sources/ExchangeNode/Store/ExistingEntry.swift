import ExchangeProtocol
import Foundation
import GRDB

/// What the store knows of an entry before a change is applied.
struct ExistingEntry {
    let rowID: Int64
    let seq: UInt64
    let version: UInt32
    let status: EntryStatus
    /// What the anti-entropy ledger holds of the stored version (``DigestLedger``).
    let list: Int64
    let category: Int64
    let eventDigest: [UInt8]
}
