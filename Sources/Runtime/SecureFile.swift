import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that never leave a partial file behind, with an explicit mode (0600 for
/// secrets), and the checked read secrets are loaded with. Node, coordinator and PKI all write
/// through it.
package enum SecureFile {
    /// Writes `data` to a temporary file in the same directory, created with `mode`, synced, then
    /// renamed over `url`. Creates the directory if needed.
    package static func writeAtomically(_ data: Data, to url: URL, mode: Int) throws(FileError) {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError(.unwritable, path: directory.path, reason: "cannot create directory")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max)).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw FileError(.unwritable, path: temporary, reason: String(cString: strerror(errno))) }
        // open() applies the umask, which can only remove bits; set the exact mode anyway.
        var ok = fchmod(fd, mode_t(mode)) == 0
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
            throw FileError(.unwritable, path: url.path, reason: "short write")
        }
        guard rename(temporary, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw FileError(.unwritable, path: url.path, reason: reason)
        }
    }

    /// Reads a secret, refusing it unless it is a regular file that only its owner may access. The
    /// mode is checked on the open descriptor, so the file checked is the file read.
    package static func readSecret(_ url: URL) throws(FileError) -> Data {
        let path = url.path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw FileError(.missing, path: path, reason: "missing") }
            throw FileError(.unreadable, path: path, reason: "cannot open (\(String(cString: strerror(code))))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw FileError(.unreadable, path: path, reason: "cannot stat (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw FileError(.unreadable, path: path, reason: "not a regular file") }
        guard info.st_mode & 0o077 == 0 else {
            throw FileError(.insecureMode, path: path, reason: "readable by group or others", mode: UInt32(info.st_mode))
        }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw FileError(.unreadable, path: path, reason: "cannot read", underlying: error)
        }
    }

    /// Reads a file that is not secret; ``FileError/Code/missing`` when it does not exist.
    package static func read(_ url: URL) throws(FileError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw FileError(.missing, path: url.path, reason: "missing") }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw FileError(.unreadable, path: url.path, reason: "cannot read", underlying: error)
        }
    }

    /// Copies `source` to `destination` atomically with `mode`; a `secret` source must be owner-only.
    package static func copy(_ source: URL, to destination: URL, mode: Int, secret: Bool) throws(FileError) {
        let data = secret ? try readSecret(source) : try read(source)
        try writeAtomically(data, to: destination, mode: mode)
    }
}
