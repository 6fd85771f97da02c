import ExchangeCrypto
import ExchangeRuntime
import Foundation

/// The alliance keyed-hash token key as a file (`token-key.json` in the CA folder and a node home,
/// `token-keys/epoch-N.json` at the coordinator): sorted-key JSON `{"created","epoch","key","scheme"}`,
/// mode 0600, refused on read when group or others may access it.
package enum TokenKeyFile {
    package static func read(_ url: URL) throws(PKIError) -> AllianceTokenKey {
        let data = try KeyFile.readSecret(path: url.path)
        do {
            return try JSONDecoder().decode(AllianceTokenKey.self, from: data)
        } catch {
            throw .malformedFile(path: url.path, reason: "not a token key file (scheme, epoch, key, created)")
        }
    }

    package static func write(_ key: AllianceTokenKey, to url: URL) throws(PKIError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(key) + Data("\n".utf8)
        } catch {
            throw .fileSystem(path: url.path, reason: "cannot encode token key")
        }
        try KeyFile.write(data, path: url.path, mode: 0o600)
    }
}
