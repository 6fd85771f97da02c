import ExchangeProtocol
import Foundation
import GRDB

/// What the store knows of an entry before a change is applied.
struct ExistingEntry {
    let rowID: Int64
    let seq: UInt64
    let version: UInt32
    let status: EntryStatus
}
