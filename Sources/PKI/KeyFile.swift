import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .fileMissing(path: path) }
            throw .fileSystem(path: path, reason: "cannot open (\(String(cString: strerror(code))))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .fileSystem(path: path, reason: "cannot stat (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .malformedFile(path: path, reason: "not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .keyFileTooPermissive(path: path, mode: UInt32(info.st_mode))
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw .fileSystem(path: path, reason: "cannot read")
        }
    }

    /// Writes a P-256 private key as PKCS#8 PEM, mode 0600, atomically.
    static func writePrivateKey(_ key: P256.Signing.PrivateKey, path: String) throws(PKIError) {
        try AtomicFile.write(Data(key.pemRepresentation.utf8), path: path, mode: 0o600)
    }
}

/// Whole-file writes that never leave a partial file behind: a temporary file in the same
/// directory is created with the final mode, written, synced, then renamed over the target.
enum AtomicFile {
    static func write(_ data: Data, path: String, mode: mode_t) throws(PKIError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory, reason: "cannot create directory")
        }
        let temporary = directory + "/.\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw .fileSystem(path: temporary, reason: "cannot create (\(String(cString: strerror(errno))))")
        }
        // open() applies the umask, which can only remove bits; set the exact mode anyway.
        var ok = fchmod(fd, mode) == 0
        ok = ok && data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        ok = ok && fsync(fd) == 0
        let closed = close(fd) == 0
        guard ok, closed else {
            unlink(temporary)
            throw .fileSystem(path: path, reason: "cannot write")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .fileSystem(path: path, reason: "cannot rename into place (\(reason))")
        }
    }

    /// Reads a non-secret file.
    static func read(path: String) throws(PKIError) -> Data {
        guard FileManager.default.fileExists(atPath: path) else { throw .fileMissing(path: path) }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .fileSystem(path: path, reason: "cannot read")
        }
    }
}
