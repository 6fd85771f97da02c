import Crypto
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
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
    /// Matches the stored entries against the watched base, in the same transaction.
    var watch: WatchArrival? = nil

    package struct Outcome: Sendable {
        var created = 0
        var replaced = 0
        var identifiers = 0
        var firstSeq: UInt64 = 0
        var lastSeq: UInt64 = 0
        /// Match records the watched base received (docs/watch.md).
        var watchMatches = 0
    }

    /// Tokens and sealed boxes of a run of entries, computed off the writer's thread.
    private struct PreparedChunk: Sendable {
        let tokens: [Token]
        let sealed: [[UInt8]]?
        /// The chunk's watch index hits, by entry (read while the previous chunk is written).
        let watchHits: WatchProbeResult?
    }

    func publish(_ entries: [PlannedEntry], into store: NodeStore, threads: Int = 2) throws(NodeError) -> Outcome {
        let now = clock()
        let tokenizer = tokenizer
        let seal = keepSealedIdentifiers ? IdentifierSeal(key: keys.sealKey) : nil
        let watchKeys = watch?.keys
        let descriptor = tokenizer.descriptor
        // Chunk k+1 is tokenised and sealed while chunk k is written: the writer is the bottleneck.
        let prepare: @Sendable (Range<Int>) -> PreparedChunk = { range in
            let flat = entries[range].flatMap(\.identifiers)
            let sealed = seal.map { seal in
                ParallelChunks.map(count: range.count, threads: threads, minimumChunk: 512) { part in
                    part.map { position in
                        let entry = entries[range.lowerBound + position]
                        return (try? seal.seal(entry.identifiers, entryID: entry.entryID)) ?? []
                    }
                }
            }
            let tokens = tokenizer.tokensInParallel(for: flat, threads: threads)
            var hits: WatchProbeResult?
            if let watchKeys {
                var offset = 0
                hits = WatchProbe.probe(entries[range].map { entry in
                    defer { offset += entry.identifiers.count }
                    return WatchProbeItem(origin: member, scheme: descriptor, tokens: Array(tokens[offset..<offset + entry.identifiers.count]))
                }, keys: watchKeys, store: store)
            }
            return PreparedChunk(tokens: tokens, sealed: sealed, watchHits: hits)
        }
        return try store.write { db in
            // The own tokens must be of the epoch the store is at: a token-key changeover or a pairwise key
            // rotation that committed while this import tokenised refuses it (all or nothing; run it again).
            switch tokenizer.descriptor.scheme {
            case .keyedHash: try TokenEpochs.ensureOwn(db, is: tokenizer.descriptor.epoch)
            case .ecdhX25519:
                if let stored = try PairwiseKeyEpoch.get(db), stored != tokenizer.descriptor.epoch {
                    throw NodeError.configuration(
                        "this node's pairwise key was rotated to epoch \(stored) during the import: nothing was stored, run it again")
                }
            }
            var writer = try OwnEventWriter(db, member: member, signingKey: keys.signingKey)
            var outcome = Outcome()
            let today = NodeClock.today()
            try ChunkPipeline.run(count: entries.count, chunkSize: Self.chunkSize, prepare: prepare) { (range, chunk) throws(any Error) in
                var offset = 0
                var changes: [WatchArrival.Change] = []
                for (position, entry) in entries[range].enumerated() {
                    let entryTokens = Array(chunk.tokens[offset..<offset + entry.identifiers.count])
                    offset += entry.identifiers.count
                    let sealed = chunk.sealed?[position]
                    if let sealed, sealed.isEmpty { throw NodeError.store("cannot seal identifiers") }
                    let event = try writer.recordLikelyNew(entryID: entry.entryID, sealed: sealed) { seq, version in
                        EntryEvent(origin: member, seq: seq, entryID: entry.entryID, version: version, status: .active,
                                   revocationReason: nil, list: entry.list, category: entry.category, severity: entry.severity,
                                   role: entry.role, listedOn: entry.listedOn, expiresOn: entry.expiresOn,
                                   scheme: tokenizer.descriptor, tokens: entryTokens, changedAt: now)
                    }
                    if event.version == 1 { outcome.created += 1 } else { outcome.replaced += 1 }
                    if outcome.firstSeq == 0 { outcome.firstSeq = event.seq }
                    outcome.lastSeq = event.seq
                    outcome.identifiers += entry.identifiers.count
                    if watch != nil { changes.append(.init(event: event, indexTokens: event.tokens, replaced: event.version > 1)) }
                }
                if let watch {
                    outcome.watchMatches += try watch.process(changes, probed: chunk.watchHits, day: today, at: now, db).matches
                }
            }
            try writer.finish()
            return outcome
        }
    }

    /// Entries per pipelined chunk: large enough to amortise the hand-off, small enough that the
    /// writer waits only for the first one.
    static let chunkSize = 8_192
}
