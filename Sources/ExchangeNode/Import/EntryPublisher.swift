import ExchangeCrypto
import ExchangeProtocol
import Crypto
import Foundation
import GRDB

/// Stores validated entries as the node's own, signed, versioned events in one transaction:
/// either every entry of an import is stored or none is.
struct EntryPublisher {
    let member: String
    let keys: NodeKeys
    let tokenizer: any SubjectTokenizer
    let keepSealedIdentifiers: Bool
    let clock: @Sendable () -> Int64

    struct Outcome: Sendable {
        var created = 0
        var replaced = 0
        var identifiers = 0
        var firstSeq: UInt64 = 0
        var lastSeq: UInt64 = 0
    }

    func publish(_ entries: [PlannedEntry], into store: NodeStore, threads: Int = 2) throws(NodeError) -> Outcome {
        let flat = entries.flatMap(\.identifiers)
        let tokens = tokenizer.tokensInParallel(for: flat, threads: threads)
        let sealedBoxes = keepSealedIdentifiers ? try Self.sealInParallel(entries, key: keys.sealKey, threads: threads) : []
        let now = clock()
        return try store.write { db in
            var writer = try OwnEventWriter(db, member: member, signingKey: keys.signingKey)
            var outcome = Outcome()
            var offset = 0
            for (position, entry) in entries.enumerated() {
                let entryTokens = Array(tokens[offset..<offset + entry.identifiers.count])
                offset += entry.identifiers.count
                let sealed = keepSealedIdentifiers ? sealedBoxes[position] : nil
                let event = try writer.record(entryID: entry.entryID, sealed: sealed) { seq, version in
                    EntryEvent(origin: member, seq: seq, entryID: entry.entryID, version: version, status: .active,
                               revocationReason: nil, list: entry.list, category: entry.category, severity: entry.severity,
                               role: entry.role, listedOn: entry.listedOn, expiresOn: entry.expiresOn,
                               scheme: tokenizer.descriptor, tokens: entryTokens, changedAt: now)
                }
                if event.version == 1 { outcome.created += 1 } else { outcome.replaced += 1 }
                if outcome.firstSeq == 0 { outcome.firstSeq = event.seq }
                outcome.lastSeq = event.seq
                outcome.identifiers += entry.identifiers.count
            }
            try writer.finish()
            return outcome
        }
    }

    /// AES-GCM boxes of each entry's identifiers, computed on `threads` threads.
    static func sealInParallel(_ entries: [PlannedEntry], key: SymmetricKey, threads: Int) throws(NodeError) -> [[UInt8]] {
        let seal = IdentifierSeal(key: key)
        let boxes = ParallelChunks.map(count: entries.count, threads: threads, minimumChunk: 512) { range in
            entries[range].map { (try? seal.seal($0.identifiers, entryID: $0.entryID)) ?? [] }
        }
        if boxes.contains(where: \.isEmpty) { throw .store("cannot seal identifiers") }
        return boxes
    }
}
