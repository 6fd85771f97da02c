import Crypto
import ExchangeRuntime
import Foundation


/// Reads and writes secret files (private keys, the token key): written atomically with mode
/// 0600, and refused on read when group or others may access them.
public enum KeyFile {
    /// Reads a PEM P-256 private key (PKCS#8 `PRIVATE KEY` or SEC1 `EC PRIVATE KEY`).
    /// Throws ``PKIError/keyFileTooPermissive(path:mode:)`` if `st_mode & 0o077 != 0`.
    public static func readPrivateKey(path: String) throws(PKIError) -> P256.Signing.PrivateKey {
        let data = try readSecret(path: path)
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: String(decoding: data, as: UTF8.self))
        } catch {
            throw .malformedFile(path: path, reason: "not a PEM P-256 private key")
        }
    }

    /// Reads a secret file, refusing it unless it is a regular file that only its owner may
    /// access. The mode is checked on the open descriptor, so the file checked is the file read.
    public static func readSecret(path: String) throws(PKIError) -> Data {
        do {
            return try SecureFile.readSecret(URL(fileURLWithPath: path))
        } catch {
            throw PKIError(error)
        }
    }

    /// Writes a P-256 private key as PKCS#8 PEM, mode 0600, atomically.
    static func writePrivateKey(_ key: P256.Signing.PrivateKey, path: String) throws(PKIError) {
        try write(Data(key.pemRepresentation.utf8), path: path, mode: 0o600)
    }

    /// Writes a whole file atomically with `mode` (see ``SecureFile``).
    static func write(_ data: Data, path: String, mode: Int) throws(PKIError) {
        do {
            try SecureFile.writeAtomically(data, to: URL(fileURLWithPath: path), mode: mode)
        } catch {
            throw PKIError(error)
        }
    }

    /// Reads a file that is not secret.
    static func read(path: String) throws(PKIError) -> Data {
        do {
            return try SecureFile.read(URL(fileURLWithPath: path))
        } catch {
            throw PKIError(error)
        }
    }
}
