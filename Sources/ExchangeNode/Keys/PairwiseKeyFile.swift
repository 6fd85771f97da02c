import ExchangeCrypto
import ExchangeRuntime
import Foundation

/// `HOME/keys/ecdh.key` (0600): `{"epoch": N, "key": "<base64 X25519 scalar>"}`.
package enum PairwiseKeyFile {
    struct Contents: Codable {
        let epoch: UInt32
        let key: Data
    }

    package static func loadIfPresent(_ url: URL) throws(NodeError) -> PairwiseMaskingKey? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try NodeError.files(SecureFile.readSecret(url))
        guard let contents = try? JSONDecoder().decode(Contents.self, from: data),
              let key = try? PairwiseMaskingKey(epoch: contents.epoch, rawRepresentation: contents.key) else {
            throw .fileUnreadable(url.path, reason: "not a pairwise key file (epoch, key)")
        }
        return key
    }

    static func write(_ key: PairwiseMaskingKey, to url: URL) throws(NodeError) {
        try NodeError.files(JSONFile.write(Contents(epoch: key.epoch, key: key.rawRepresentation), to: url, mode: 0o600))
    }
}
