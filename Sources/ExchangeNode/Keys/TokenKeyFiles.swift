import AlliancePKI
import ExchangeCrypto
import ExchangeRuntime
import Foundation

extension NodeHome {
    /// `keys/token-key.epoch-N.json`: a keyed-hash epoch other than the own one, held because stored
    /// entries are under it (docs/membership.md).
    func tokenKeyEpochFile(_ epoch: UInt32) -> URL { keysDirectory.appendingPathComponent("token-key.epoch-\(epoch).json") }
    /// `keys/token-key.next.json`: a changeover's new key, before its transaction commits and its rename.
    var tokenKeyNextFile: URL { keysDirectory.appendingPathComponent("token-key.next.json") }
    /// `keys/token-key.lock`: held (flock) by a changeover or a retirement.
    var tokenKeyLockFile: URL { keysDirectory.appendingPathComponent("token-key.lock") }
}

/// The keyed-hash key files of a node home: `token-key.json` (the own epoch, what the node publishes
/// under), `token-key.epoch-N.json` (other held epochs) and the transient `token-key.next.json`.
enum TokenKeyFiles {
    /// Every held key by epoch: `token-key.json` and each `token-key.epoch-N.json` (mode 0600, holding
    /// the epoch its name says).
    static func loadHeld(_ home: NodeHome) throws(NodeError) -> [UInt32: AllianceTokenKey] {
        var held: [UInt32: AllianceTokenKey] = [:]
        let own = try NodeKeys.loadTokenKey(home.tokenKeyFile)
        held[own.epoch] = own
        for epoch in epochFiles(home) {
            let file = home.tokenKeyEpochFile(epoch)
            let key: AllianceTokenKey
            do {
                key = try NodeKeys.loadTokenKey(file)
            } catch {
                // A file a retirement is scrubbing right now (zeros, then gone) is simply no longer held;
                // one that others may read is still refused.
                if error.code == .insecureKeyFile { throw error }
                continue
            }
            guard key.epoch == epoch else { throw .fileUnreadable(file.path, reason: "holds epoch \(key.epoch), not \(epoch)") }
            held[epoch] = key
        }
        return held
    }

    /// The epochs of the `token-key.epoch-N.json` files present.
    static func epochFiles(_ home: NodeHome) -> [UInt32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.keysDirectory.path)) ?? []
        return names.compactMap { name -> UInt32? in
            guard name.hasPrefix("token-key.epoch-"), name.hasSuffix(".json") else { return nil }
            return UInt32(name.dropFirst("token-key.epoch-".count).dropLast(".json".count))
        }.sorted()
    }

    /// Writes a key in the `token-key.json` format, 0600, atomically.
    static func save(_ key: AllianceTokenKey, to url: URL) throws(NodeError) {
        do {
            try TokenKeyFile.write(key, to: url)
        } catch {
            throw NodeError(error)
        }
    }

    /// Scrubs a key file (zeros, sync, unlink): the key leaves the file's blocks as well as the directory.
    static func scrub(_ url: URL) { SecureFile.scrub(url) }

    /// Renames `from` over `to` and makes the rename durable (a rotated or changed-over key becomes the key).
    static func install(_ from: URL, over to: URL) throws(NodeError) {
        try NodeError.files(SecureFile.install(from, over: to))
    }
}
