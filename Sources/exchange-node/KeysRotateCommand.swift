import ArgumentParser
import ExchangeNode
import Foundation
import GRDB

/// `exchange-node keys rotate --home HOME`.
struct KeysRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate this node's pairwise (ecdh-x25519) key to the next epoch and drop the old one.",
        discussion: """
            In one store transaction: every own entry (active or revoked, status kept) gets a new signed \
            version whose tokens are re-derived from its sealed identifiers under the new key, which peers \
            pick up on their next sync; every peer entry's index tokens are re-masked locally with the new \
            key, so this node's screening keeps working at once. Then keys/ecdh.key is replaced (the old key \
            is gone) and deleted store content is zeroed: no old-epoch token stays in the store.

            Needs sealed identifiers (keepSealedIdentifiers in node.json, the default); a node that keeps \
            none is refused. A kill at any moment leaves the old key and store, or the new ones.

            Restart a running `serve` on this home afterwards: until then it refuses to sync, mask or \
            screen with the old key. Until a peer syncs, its screening names this node as a stale origin \
            (never a silent "no match").
            """
    )

    @OptionGroup var options: HomeOption

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let outcome = try PairwiseKeyRotation(context: context).rotate()
        try? context.audit.flush()
        print("""
            pairwise key rotated from epoch \(outcome.fromEpoch) to \(outcome.toEpoch) \
            (fingerprint \(try PairwiseKeyFile.loadIfPresent(context.home.ecdhKeyFile)?.fingerprint ?? "?")); \
            \(outcome.ownEntries) own entries (\(outcome.ownRevoked) revoked) re-issued as events #\(outcome.firstSeq)-#\(outcome.lastSeq) \
            with \(outcome.ownTokens) tokens; \(outcome.peerEntries) peer entries re-masked (\(outcome.peerTokens) tokens)
            """)
        if !outcome.walTruncated {
            print("note: another process is reading the store; the write-ahead log is truncated at its next checkpoint")
        }
        print("restart `exchange-node serve` if it runs on this home; peers screen against the new tokens after their next sync")
    }
}
