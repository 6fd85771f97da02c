import Crypto
import ExchangeCrypto
import Foundation

/// Reads a ustar archive member by member, streaming each member's content.
final class TarReader {
    private let handle: FileHandle
    private let path: String
    private static let chunk = 1 << 20

    init(path: String) throws(NodeError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw NodeError.fileUnreadable(path, reason: "cannot open")
        }
        self.handle = handle
        self.path = path
    }

    deinit { try? handle.close() }

    /// The next member's header; nil at the end of the archive.
    func next() throws(NodeError) -> TarHeader? {
        try TarHeader.decode(read(exactly: TarHeader.blockSize), archive: path)
    }

    /// The current member's content, at most `limit` bytes (for the manifest).
    func content(of header: TarHeader, limit: Int) throws(NodeError) -> [UInt8] {
        guard header.size <= UInt64(limit) else { throw NodeError.backupInvalid(path, "\(header.path) is larger than \(limit) bytes") }
        let bytes = try read(exactly: Int(header.size))
        _ = try read(exactly: TarHeader.padding(after: header.size))
        return bytes
    }

    /// Copies the current member's content into `destination` (created with `mode`, refused if it
    /// exists) and returns its SHA-256 (hex).
    func extract(_ header: TarHeader, to destination: String, mode: UInt32) throws(NodeError) -> String {
        let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw NodeError.fileUnwritable(destination, reason: String(cString: strerror(errno))) }
        let output = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var hasher = SHA256()
        var remaining = header.size
        while remaining > 0 {
            let count = Int(min(UInt64(Self.chunk), remaining))
            let data: Data
            do {
                data = try handle.read(upToCount: count) ?? Data()
            } catch {
                throw NodeError.fileUnreadable(path, reason: "cannot read", underlying: error)
            }
            guard !data.isEmpty else { throw NodeError.backupInvalid(path, "the archive ends inside \(header.path)") }
            hasher.update(data: data)
            do {
                try output.write(contentsOf: data)
            } catch {
                throw NodeError.fileUnwritable(destination, reason: "write failed", underlying: error)
            }
            remaining -= UInt64(data.count)
        }
        do {
            try output.synchronize()
            try output.close()
        } catch {
            throw NodeError.fileUnwritable(destination, reason: "write failed", underlying: error)
        }
        _ = try read(exactly: TarHeader.padding(after: header.size))
        return Hex.encode(Array(hasher.finalize()))
    }

    private func read(exactly count: Int) throws(NodeError) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        while bytes.count < count {
            let data: Data
            do {
                data = try handle.read(upToCount: count - bytes.count) ?? Data()
            } catch {
                throw NodeError.fileUnreadable(path, reason: "cannot read", underlying: error)
            }
            guard !data.isEmpty else { throw NodeError.backupInvalid(path, "the archive is truncated") }
            bytes.append(contentsOf: data)
        }
        return bytes
    }
}
