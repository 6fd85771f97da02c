import AlliancePKI
import ExchangeCrypto
import ExchangeProtocol
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
    public static func load(from home: CoordinatorHome) throws(CoordinatorError) -> TokenKeyRing {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.tokenKeysDirectory.path)) ?? []
        var keys: [AllianceTokenKey] = []
        for name in names where name.hasPrefix("epoch-") && name.hasSuffix(".json") {
            guard let epoch = UInt32(name.dropFirst("epoch-".count).dropLast(".json".count)) else { continue }
            let file = home.tokenKeyFile(epoch: epoch)
            let key = try read(file)
            guard key.epoch == epoch else {
                throw .fileUnreadable(file.path, reason: "holds epoch \(key.epoch), not \(epoch)")
            }
            keys.append(key)
        }
        return TokenKeyRing(keys: keys.sorted { $0.epoch < $1.epoch })
    }

    /// Stores a key under its epoch; refuses to replace an existing epoch with a different key.
    static func store(_ key: AllianceTokenKey, in home: CoordinatorHome) throws(CoordinatorError) {
        let file = home.tokenKeyFile(epoch: key.epoch)
        if FileManager.default.fileExists(atPath: file.path) {
            guard try read(file) == key else {
                throw CoordinatorError(.alreadyInitialised, "\(file.path) already holds a different key for epoch \(key.epoch)")
            }
            return
        }
        do {
            try TokenKeyFile.write(key, to: file)
        } catch {
            throw CoordinatorError(error)
        }
        chmod(home.tokenKeysDirectory.path, 0o700)
    }

    /// Reads one token key file (mode 0600 enforced).
    static func read(_ file: URL) throws(CoordinatorError) -> AllianceTokenKey {
        do {
            return try TokenKeyFile.read(file)
        } catch {
            throw CoordinatorError(error)
        }
    }

    /// Creates and stores the key of the next epoch; returns it.
    package static func rotate(in home: CoordinatorHome, now: Date = Date()) throws(CoordinatorError) -> AllianceTokenKey {
        let ring = try load(from: home)
        let next = AllianceTokenKey.generate(epoch: (ring.current?.epoch ?? 0) + 1, created: ISO8601.format(seconds: Int64(now.timeIntervalSince1970)))
        try store(next, in: home)
        return next
    }
}
