import ExchangeProtocol
import Foundation
import Hummingbird

/// An objection (异议申诉) against one entry, filed by a member on behalf of a subject it matched.
/// It names the entry, never the subject: its only free text is the filer's evidence, checked by
/// ``FreeTextGuard``. Both ends keep a copy: the origin (`incoming`) decides it, the filer
/// (`outgoing`) polls the origin for the outcome.
package struct Appeal: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable, CaseIterable {
        case open
        case upheld
        case rejected
    }

    package enum Direction: String, Sendable, Codable {
        /// Filed against one of our entries; we decide it.
        case incoming
        /// We filed it at another member's node.
        case outgoing
    }

    /// Filer-generated UUID (lower-case).
    package var id: String
    var direction: Direction
    package var filer: String
    var origin: String
    var entryID: String
    var reason: String
    /// ISO 8601, as the filer stated it.
    var filedAt: String
    /// When the origin accepted it (milliseconds since 1970).
    var receivedAt: Int64
    /// The last day the origin may decide it in time.
    package var deadline: Day
    package var status: Status
    var decidedAt: Int64?
    var decision: String?

    /// Open past its deadline.
    func isOverdue(on today: Day) -> Bool { status == .open && today > deadline }

    /// `ORIGIN:ENTRY_ID`.
    package var entryReference: String { "\(origin):\(entryID)" }
}
