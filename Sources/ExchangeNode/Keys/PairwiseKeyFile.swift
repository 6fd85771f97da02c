import ExchangeCrypto
import Foundation

/// `HOME/keys/ecdh.key` (0600): `{"epoch": N, "key": "<base64 X25519 scalar>"}`.
enum PairwiseKeyFile {
    struct Contents: Codable {
        let epoch: UInt32
        let key: Data
    }

    static func loadIfPresent(_ url: URL) throws(NodeError) -> PairwiseMaskingKey? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data = try SecureFile.readSecret(url)
        guard let contents = try? JSONDecoder().decode(Contents.self, from: data),
              let key = try? PairwiseMaskingKey(epoch: contents.epoch, rawRepresentation: contents.key) else {
            throw .fileUnreadable(url.path, reason: "not a pairwise key file (epoch, key)")
        }
        return key
    }

    static func write(_ key: PairwiseMaskingKey, to url: URL) throws(NodeError) {
        try JSONFile.write(Contents(epoch: key.epoch, key: key.rawRepresentation), to: url, mode: 0o600)
    }
}
