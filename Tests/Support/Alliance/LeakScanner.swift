import Crypto
import ExchangeCrypto
import Foundation

/// Searches bytes for a set of secrets: raw identifiers in the clear, and their unkeyed SHA-256, SHA-1 and
/// MD5 digests as lower- and upper-case hex, base64 and raw digest bytes (the forms a careless store or
/// log would hold; any of them is reversed by enumerating the identifier space).
package struct LeakScanner: Sendable {
    /// One needle: what it is (never the secret itself, so failure messages leak nothing) and its bytes.
    package struct Needle: Sendable {
        package let name: String
        package let bytes: Data

        package init(name: String, bytes: Data) {
            self.name = name
            self.bytes = bytes
        }
    }

    package let needles: [Needle]

    package init(secrets: [String], hashedForms: [String], extra: [Needle] = []) {
        var needles: [Needle] = []
        for (index, secret) in secrets.enumerated() {
            needles.append(Needle(name: "raw identifier #\(index)", bytes: Data(secret.utf8)))
        }
        for (index, form) in hashedForms.enumerated() {
            let input = Data(form.utf8)
            let digests: [(String, Data)] = [
                ("SHA-256", Data(SHA256.hash(data: input))),
                ("SHA-1", Data(Insecure.SHA1.hash(data: input))),
                ("MD5", Data(Insecure.MD5.hash(data: input))),
            ]
            for (algorithm, digest) in digests {
                let hex = Hex.encode(digest)
                let label = "\(algorithm) of canonical form #\(index)"
                needles.append(Needle(name: "\(label) (hex)", bytes: Data(hex.utf8)))
                needles.append(Needle(name: "\(label) (HEX)", bytes: Data(hex.uppercased().utf8)))
                needles.append(Needle(name: "\(label) (base64)", bytes: Data(digest.base64EncodedString().utf8)))
                needles.append(Needle(name: "\(label) (raw bytes)", bytes: digest))
            }
        }
        self.needles = needles + extra
    }

    /// The names of the needles found in `haystack`.
    package func findings(in haystack: Data) -> [String] {
        needles.filter { haystack.range(of: $0.bytes) != nil }.map(\.name)
    }

    /// Every regular file under `directory`, recursively (hidden files included).
    package static func files(under directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.isRegularFileKey], options: [])
        else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter {
            (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}
