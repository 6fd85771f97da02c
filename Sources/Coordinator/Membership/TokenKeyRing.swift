import ExchangeCrypto
import Foundation

/// The alliance keyed-hash token keys the coordinator holds, one file per epoch
/// (`HOME/keys/token-keys/epoch-N.json`, mode 0600, the `token-key.json` format). The highest
/// epoch is current. Rotating adds epoch N+1; members fetch it (`GET /v1/token-key?epoch=N+1`),
/// re-tokenise their own entries from their sealed identifiers and republish them.
public struct TokenKeyRing: Sendable {
    /// Every epoch held, ascending.
    public let keys: [AllianceTokenKey]

    public var current: AllianceTokenKey? { keys.last }

    public func key(epoch: UInt32) -> AllianceTokenKey? { keys.first { $0.epoch == epoch } }

    /// Reads every `epoch-N.json` (each must be mode 0600 and hold the epoch its name says).
    public static func load(from home: CoordinatorHome) throws(NodeError) -> TokenKeyRing {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.tokenKeysDirectory.path)) ?? []
        var keys: [AllianceTokenKey] = []
        for name in names where name.hasPrefix("epoch-") && name.hasSuffix(".json") {
            guard let epoch = UInt32(name.dropFirst("epoch-".count).dropLast(".json".count)) else { continue }
            let file = home.tokenKeyFile(epoch: epoch)
            let key = try NodeKeys.loadTokenKey(file)
            guard key.epoch == epoch else {
                throw .fileUnreadable(file.path, reason: "holds epoch \(key.epoch), not \(epoch)")
            }
            keys.append(key)
        }
        return TokenKeyRing(keys: keys.sorted { $0.epoch < $1.epoch })
    }

    /// Stores a key under its epoch; refuses to replace an existing epoch with a different key.
    static func store(_ key: AllianceTokenKey, in home: CoordinatorHome) throws(NodeError) {
        let file = home.tokenKeyFile(epoch: key.epoch)
        if FileManager.default.fileExists(atPath: file.path) {
            guard try NodeKeys.loadTokenKey(file) == key else {
                throw .alreadyInitialised(file.path + " (a different key for this epoch)")
            }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(key) + Data("\n".utf8)
        } catch {
            throw .fileUnwritable(file.path, reason: "cannot encode the token key")
        }
        try SecureFile.writeAtomically(data, to: file, mode: 0o600)
        chmod(home.tokenKeysDirectory.path, 0o700)
    }

    /// Creates and stores the key of the next epoch; returns it.
    static func rotate(in home: CoordinatorHome, now: Date = Date()) throws(NodeError) -> AllianceTokenKey {
        let ring = try load(from: home)
        let next = AllianceTokenKey.generate(epoch: (ring.current?.epoch ?? 0) + 1, created: now.formatted(.iso8601))
        try store(next, in: home)
        return next
    }
}
