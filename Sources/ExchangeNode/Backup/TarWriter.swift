import Crypto
import ExchangeCrypto
import Foundation

/// Writes a ustar archive to a file, streaming each member's content (a multi-gigabyte store is
/// never held in memory) and computing its SHA-256 on the way.
final class TarWriter {
    private let handle: FileHandle
    private let path: String
    private static let chunk = 1 << 20

    /// Creates `path` (mode 0600, refused if it exists).
    init(creating path: String) throws(NodeError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw NodeError.fileUnwritable(path, reason: String(cString: strerror(errno))) }
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// Appends `bytes` as the member `name`; returns their SHA-256 (hex).
    @discardableResult
    func add(_ name: String, bytes: [UInt8], mode: UInt32, modifiedAt: Int64) throws(NodeError) -> String {
        let header = TarHeader(path: name, mode: mode, size: UInt64(bytes.count), modifiedAt: modifiedAt)
        try write(header.encoded())
        try write(bytes)
        try write([UInt8](repeating: 0, count: TarHeader.padding(after: header.size)))
        return Hex.encode(Array(SHA256.hash(data: bytes)))
    }

    /// Appends the file at `source` as the member `name`, streaming it; returns its size and SHA-256 (hex).
    func add(_ name: String, file source: String, mode: UInt32, modifiedAt: Int64) throws(NodeError) -> (size: UInt64, sha256: String) {
        guard let input = FileHandle(forReadingAtPath: source) else {
            throw NodeError.fileUnreadable(source, reason: "cannot open")
        }
        defer { try? input.close() }
        let size: UInt64
        do {
            size = try input.seekToEnd()
            try input.seek(toOffset: 0)
        } catch {
            throw NodeError.fileUnreadable(source, reason: "cannot read", underlying: error)
        }
        try write(TarHeader(path: name, mode: mode, size: size, modifiedAt: modifiedAt).encoded())
        var hasher = SHA256()
        var remaining = size
        while remaining > 0 {
            let data: Data
            do {
                data = try input.read(upToCount: Int(min(UInt64(Self.chunk), remaining))) ?? Data()
            } catch {
                throw NodeError.fileUnreadable(source, reason: "cannot read", underlying: error)
            }
            guard !data.isEmpty else { throw NodeError.fileUnreadable(source, reason: "it shrank while it was copied") }
            hasher.update(data: data)
            try write(data)
            remaining -= UInt64(data.count)
        }
        try write([UInt8](repeating: 0, count: TarHeader.padding(after: size)))
        return (size, Hex.encode(Array(hasher.finalize())))
    }

    /// Writes the two zero blocks that end an archive and flushes the file to disk.
    func finish() throws(NodeError) {
        try write([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw NodeError.fileUnwritable(path, reason: "write failed", underlying: error)
        }
    }

    private func write(_ bytes: [UInt8]) throws(NodeError) {
        guard !bytes.isEmpty else { return }
        try write(Data(bytes))
    }

    private func write(_ data: Data) throws(NodeError) {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw NodeError.fileUnwritable(path, reason: "write failed", underlying: error)
        }
    }
}
