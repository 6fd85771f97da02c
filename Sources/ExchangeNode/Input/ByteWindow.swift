#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A sliding window over an input (a file read with read(2), or an in-memory buffer), holding at most
/// `chunkBytes + reserveBytes`. Parsers look at `base[start..<end]`; `fill()` keeps the unconsumed
/// bytes, moves them to the front and reads one more chunk after them.
///
/// `@unchecked Sendable`: the buffer is owned by this value alone (it is `~Copyable`), so sending it
/// to another task moves ownership, never shares it.
struct ByteWindow: ~Copyable, @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int
    /// Total size of the input; 0 when unknown (a pipe).
    let size: Int
    /// First byte not yet consumed.
    var start = 0
    /// One past the last byte read.
    private(set) var end = 0
    /// True once the source has nothing more to give: `end` is the end of the input.
    private(set) var isEOF = false
    /// Bytes read from the source so far.
    private(set) var totalRead = 0

    private let name: String
    private let chunkBytes: Int
    private var fd: Int32
    private let memory: [UInt8]

    /// Opens `path` for reading. Directories and unopenable paths are refused.
    init(path: String, chunkBytes: Int, reserveBytes: Int) throws(InputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure(path, "cannot open the file: \(Self.lastErrorText())") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let text = Self.lastErrorText()
            close(fd)
            throw Self.failure(path, "cannot inspect the file: \(text)")
        }
        let type = info.st_mode & S_IFMT
        guard type != S_IFDIR else {
            close(fd)
            throw Self.failure(path, "is a directory, not a file")
        }
        self.init(name: path, fd: fd, memory: [], size: type == S_IFREG ? Int(info.st_size) : 0,
                  chunkBytes: chunkBytes, reserveBytes: reserveBytes)
    }

    /// Reads from `bytes` as if they were a file, one chunk at a time.
    init(bytes: [UInt8], name: String, chunkBytes: Int, reserveBytes: Int) {
        // A small buffer needs no full-size chunk; a small chunkBytes (tests) is kept as given.
        self.init(name: name, fd: -1, memory: bytes, size: bytes.count, chunkBytes: min(chunkBytes, max(bytes.count, 1)),
                  reserveBytes: reserveBytes)
    }

    private init(name: String, fd: Int32, memory: [UInt8], size: Int, chunkBytes: Int, reserveBytes: Int) {
        self.name = name
        self.fd = fd
        self.memory = memory
        self.size = size
        self.chunkBytes = chunkBytes
        self.capacity = chunkBytes + reserveBytes
        self.base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
        if fd >= 0 { close(fd) }
    }

    /// Discards consumed bytes and reads up to one chunk more; sets `isEOF` when the source is exhausted.
    /// The caller must have consumed enough that at least one byte of room is left.
    mutating func fill() throws(InputError) {
        guard !isEOF else { return }
        if start > 0 {
            let kept = end - start
            if kept > 0 { memmove(base, base + start, kept) }
            end = kept
            start = 0
        }
        let room = min(chunkBytes, capacity - end)
        precondition(room > 0, "ByteWindow.fill with a full window")
        if fd < 0 {
            let count = min(room, memory.count - totalRead)
            if count == 0 { isEOF = true; return }
            memory.withUnsafeBufferPointer { source in
                (base + end).update(from: source.baseAddress! + totalRead, count: count)
            }
            end += count
            totalRead += count
            return
        }
        while true {
            let count = read(fd, base + end, room)
            if count > 0 {
                end += count
                totalRead += count
                return
            }
            if count == 0 {
                isEOF = true
                close(fd)
                fd = -1
                return
            }
            if errno == EINTR { continue }
            throw Self.failure(name, "read failed: \(Self.lastErrorText())")
        }
    }

    private static func failure(_ name: String, _ reason: String) -> InputError {
        InputError(kind: .unreadable, file: name, line: nil, field: nil, reason: reason)
    }

    private static func lastErrorText() -> String { String(cString: strerror(errno)) }
}
