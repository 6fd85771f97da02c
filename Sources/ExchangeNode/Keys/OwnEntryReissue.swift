import Crypto
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// Re-issues this node's own entries under a new token scheme descriptor, inside the caller's
/// transaction: each entry gets a new signed version with the same content and status and the
/// tokens re-derived from its sealed identifiers, so peers receive them through the normal feed.
/// Used by the pairwise key rotation and the keyed-hash epoch changeover (docs/membership.md, 1.3).
struct OwnEntryReissue {
    /// An own entry as stored, with its sealed identifiers (what its new tokens are derived from).
    struct Sealed: Sendable {
        let event: EntryEvent
        let sealed: [UInt8]
    }

    /// Every own entry that keeps sealed identifiers, in sequence order (in the caller's read).
    static func readOwn(_ db: Database, member: String) throws -> [Sealed] {
        var own: [Sealed] = []
        let rows = try GRDB.Row.fetchCursor(db, sql: """
            SELECT e.event, s.sealed FROM entries e JOIN sealed_identifiers s ON s.entry = e.id
            WHERE e.origin = ? ORDER BY e.seq
            """, arguments: [member])
        while let row = try rows.next() {
            own.append(Sealed(event: try EntryEvent(canonical: [UInt8](row[0] as Data)), sealed: [UInt8](row[1] as Data)))
        }
        return own
    }

    /// The identifiers of `own`, opened, in one flat list, and how many each entry has.
    static func identifiers(of own: [Sealed], seal: IdentifierSeal) throws(NodeError) -> (flat: [SubjectIdentifier], counts: [Int]) {
        var identifiers: [SubjectIdentifier] = []
        var counts: [Int] = []
        for entry in own {
            let opened: [SubjectIdentifier]
            do {
                opened = try seal.open(entry.sealed, entryID: entry.event.entryID)
            } catch {
                throw .store("cannot open the sealed identifiers of own entry \(entry.event.entryID)")
            }
            identifiers += opened
            counts.append(opened.count)
        }
        return (identifiers, counts)
    }

    /// `flat` cut into consecutive runs of `counts[i]` tokens.
    static func split(_ flat: [Token], _ counts: [Int]) -> [[Token]] {
        var out: [[Token]] = []
        out.reserveCapacity(counts.count)
        var offset = 0
        for count in counts {
            out.append(Array(flat[offset..<offset + count]))
            offset += count
        }
        return out
    }

    /// What was re-issued: counts and the sequence numbers used.
    struct Outcome: Sendable, Equatable {
        var entries = 0
        var revoked = 0
        var tokens = 0
        var firstSeq: UInt64 = 0
        var lastSeq: UInt64 = 0
    }

    let member: String
    let signingKey: P256.Signing.PrivateKey
    let scheme: TokenSchemeDescriptor
    let at: Int64

    /// Writes a new version of each of `entries` carrying `tokens[i]`, then the batch that signs them.
    func run(_ entries: [EntryEvent], tokens: [[Token]], _ db: Database) throws -> Outcome {
        var outcome = Outcome()
        var writer = try OwnEventWriter(db, member: member, signingKey: signingKey)
        for (previous, tokens) in zip(entries, tokens) {
            let event = try writer.record(entryID: previous.entryID) { seq, version in
                EntryEvent(origin: member, seq: seq, entryID: previous.entryID, version: version, status: previous.status,
                           revocationReason: previous.revocationReason, list: previous.list, category: previous.category,
                           severity: previous.severity, role: previous.role, listedOn: previous.listedOn,
                           expiresOn: previous.expiresOn, scheme: scheme, tokens: tokens, changedAt: at)
            }
            if outcome.firstSeq == 0 { outcome.firstSeq = event.seq }
            outcome.lastSeq = event.seq
            outcome.entries += 1
            if event.status == .revoked { outcome.revoked += 1 }
            outcome.tokens += event.tokens.count
        }
        try writer.finish()
        return outcome
    }
}
