#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX file descriptor with the few operations the audit log needs, each turning `errno` into
/// an ``AuditError``. Not thread-safe by itself: `AuditLog` serialises every use.
struct AuditFile: Sendable {
    let descriptor: Int32
    let path: String

    /// Opens (creating with mode 0600) for appending and reading.
    static func openForAppend(_ path: String) throws(AuditError) -> AuditFile {
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: Self.lastError()) }
        return AuditFile(descriptor: fd, path: path)
    }

    /// Opens an existing file read-only; nil when it does not exist.
    static func openForReading(_ path: String) throws(AuditError) -> AuditFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .cannotOpen(path: path, reason: Self.lastError())
        }
        return AuditFile(descriptor: fd, path: path)
    }

    /// Which file a descriptor or path refers to: device and inode. Two opens of one file agree;
    /// a file renamed over the path, or deleted and created again, does not.
    struct Identity: Sendable, Equatable {
        var device: UInt64
        var inode: UInt64
    }

    func identity() throws(AuditError) -> Identity {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .cannotRead(path: path, reason: Self.lastError()) }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The identity of the file now at `path`; nil when there is none.
    static func identity(ofPath path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    func size() throws(AuditError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .cannotRead(path: path, reason: Self.lastError()) }
        return Int(info.st_size)
    }

    func writeAll(_ bytes: [UInt8]) throws(AuditError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: Self.lastError())
            }
            written += result
        }
    }

    /// Reads up to `count` bytes at `offset` (fewer only at the end of the file).
    func read(at offset: Int, count: Int) throws(AuditError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = out.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: Self.lastError())
            }
            if result == 0 { break }
            filled += result
        }
        out.removeLast(count - filled)
        return out
    }

    /// Reads the next chunk from the current position; empty at the end.
    func readChunk(maximum: Int) throws(AuditError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: maximum)
        while true {
            let result = out.withUnsafeMutableBytes { buffer in systemRead(descriptor, buffer.baseAddress!, maximum) }
            if result < 0 {
                if errno == EINTR { continue }
                throw .cannotRead(path: path, reason: Self.lastError())
            }
            out.removeLast(maximum - result)
            return out
        }
    }

    func truncate(to length: Int) throws(AuditError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw .cannotWrite(path: path, reason: Self.lastError()) }
    }

    func sync() throws(AuditError) {
        guard fsync(descriptor) == 0 else { throw .cannotWrite(path: path, reason: Self.lastError()) }
    }

    func close() {
        _ = systemClose(descriptor)
    }

    /// Replaces `path` with `bytes` so that a reader sees the old or the new content, never a mix:
    /// write a temporary file, fsync it, rename it over, fsync the directory.
    static func replaceAtomically(_ path: String, with bytes: [UInt8], directory: String) throws(AuditError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: temporary, reason: Self.lastError()) }
        let file = AuditFile(descriptor: fd, path: temporary)
        do {
            try file.writeAll(bytes)
            try file.sync()
        } catch {
            file.close()
            throw error
        }
        file.close()
        guard rename(temporary, path) == 0 else { throw .cannotWrite(path: path, reason: Self.lastError()) }
        syncDirectory(directory)
    }

    /// Best effort: makes a rename or a new file durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = systemClose(fd)
    }

    /// Creates the directory (mode 0700) if it does not exist.
    static func makeDirectory(_ path: String) throws(AuditError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw .cannotOpen(path: path, reason: Self.lastError())
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

// `read` and `close` are shadowed by the methods above; these reach the C functions.
#if canImport(Glibc)
private let systemRead = Glibc.read
private let systemClose = Glibc.close
#elseif canImport(Musl)
private let systemRead = Musl.read
private let systemClose = Musl.close
#elseif canImport(Darwin)
private let systemRead = Darwin.read
private let systemClose = Darwin.close
#endif
