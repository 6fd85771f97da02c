import ArgumentParser
import ExchangeNode
import Foundation
import GRDB

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
