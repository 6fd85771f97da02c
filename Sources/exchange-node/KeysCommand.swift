import ArgumentParser
import ExchangeNode
import Foundation
import GRDB

/// `exchange-node keys`: shows the node's keys (fingerprints and epochs, never key bytes) and
/// rotates its pairwise (ecdh-x25519) key.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the node's keys, rotate its pairwise (ecdh-x25519) key.",
        subcommands: [KeysShowCommand.self, KeysRotateCommand.self]
    )
}

/// `exchange-node keys show --home HOME`.
struct KeysShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show key fingerprints and epochs, and the key epochs of the entries in the store (never key bytes)."
    )

    @OptionGroup var options: HomeOption

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        print("member            \(context.member)")
        print("scheme            \(context.config.scheme.rawValue)")
        print("node key          P-256, fingerprint \(context.keys.signingKeyFingerprint)")
        print("token key         keyed-hash epoch \(context.keys.tokenKey.epoch), fingerprint \(context.keys.tokenKey.fingerprint)")
        if let key = context.keys.pairwiseKey {
            print("pairwise key      ecdh-x25519 epoch \(key.epoch), fingerprint \(key.fingerprint) (\(context.home.ecdhKeyFile.path))")
        } else {
            print("pairwise key      none")
        }
        let member = context.member
        let rows = try context.store.read { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT origin = ? AS own, scheme, epoch, COUNT(*) FROM entries GROUP BY own, scheme, epoch ORDER BY own DESC, scheme, epoch
                """, arguments: [member]).map { row in
                (own: row[0] as Bool, scheme: row[1] as Int64, epoch: row[2] as Int64, count: row[3] as Int)
            }
        }
        for row in rows {
            let scheme = row.scheme == 2 ? "ecdh-x25519" : "keyed-hash"
            if row.own {
                print("own entries       \(row.count), tokens of \(scheme) epoch \(row.epoch)")
            } else {
                print("peer entries      \(row.count), published under their origin's \(scheme) epoch \(row.epoch)")
            }
        }
        if let stored = try context.store.read({ db in try PairwiseKeyEpoch.get(db) }) {
            print("store             rotated to pairwise epoch \(stored) (peers' index tokens re-masked with it)")
        }
        if context.config.scheme == .ecdhX25519 {
            print("sealed ids        \(context.config.keepSealedIdentifiers ? "kept (the pairwise key can be rotated)" : "not kept (the pairwise key cannot be rotated)")")
        }
    }
}

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
