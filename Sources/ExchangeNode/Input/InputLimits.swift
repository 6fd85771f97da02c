/// Bounds that keep a hostile file from costing unbounded memory, and the read size.
public struct InputLimits: Sendable, Equatable {
    /// Longest record accepted, counting its line ending (for CSV, all the physical lines of a record
    /// with quoted newlines). A longer one is refused and reading resumes after the next newline.
    public var maxRecordBytes: Int
    /// Longest single field (CSV cell or JSON value, as stored in the file) accepted.
    public var maxFieldBytes: Int
    /// How much is read from the file at a time. Memory held is about `chunkBytes + maxRecordBytes`.
    public var chunkBytes: Int

    public init(maxRecordBytes: Int = 64 * 1024, maxFieldBytes: Int = 64 * 1024, chunkBytes: Int = 1 << 20) {
        precondition(maxRecordBytes >= 8 && maxFieldBytes >= 1 && chunkBytes >= 1, "InputLimits out of range")
        self.maxRecordBytes = maxRecordBytes
        self.maxFieldBytes = maxFieldBytes
        self.chunkBytes = chunkBytes
    }

    /// 64 KiB records and fields, 1 MiB reads.
    public static let `default` = InputLimits()
}
