#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line in 1 MiB chunks, so verifying or filtering a large log needs little
/// memory. A final line without its newline is returned with `terminated == false`.
struct AuditLineReader {
    struct Line {
        /// The line without its newline.
        var bytes: [UInt8]
        /// False for a last line that has no newline (a torn write).
        var terminated: Bool
        /// Byte offset of the line in the file.
        var offset: Int
    }

    /// Lines longer than this are cut and returned as they are; no record comes near it.
    static let maximumLine = 1 << 20

    private let file: AuditFile
    private var buffer: [UInt8] = []
    private var start = 0
    private var bufferOffset = 0
    private var finished = false

    init(file: AuditFile) {
        self.file = file
    }

    mutating func next() throws(AuditError) -> Line? {
        while true {
            if let newline = Self.newline(in: buffer, from: start) {
                let line = Line(bytes: Array(buffer[start..<newline]), terminated: true, offset: bufferOffset + start)
                start = newline + 1
                return line
            }
            if buffer.count - start >= Self.maximumLine {
                let end = start + Self.maximumLine
                let line = Line(bytes: Array(buffer[start..<end]), terminated: true, offset: bufferOffset + start)
                start = end
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = Line(bytes: Array(buffer[start...]), terminated: false, offset: bufferOffset + start)
                start = buffer.count
                return line
            }
            let chunk = try file.readChunk(maximum: 1 << 20)
            if chunk.isEmpty {
                finished = true
            } else {
                bufferOffset += start
                buffer.removeFirst(start)
                start = 0
                buffer += chunk
            }
        }
    }

    /// The index of the first newline at or after `start` (memchr: this is the verifier's hot loop).
    private static func newline(in buffer: [UInt8], from start: Int) -> Int? {
        guard start < buffer.count else { return nil }
        return buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard let found = memchr(pointer.baseAddress! + start, 0x0a, pointer.count - start) else { return nil }
            return pointer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
