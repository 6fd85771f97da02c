/// Bounds applied to everything decoded from the network.
public struct WireLimits: Sendable {
    public var maxNameBytes: Int
    public var maxTokensPerEntry: Int
    public var maxEventsPerPage: Int
    public var maxBatchesPerPage: Int
    public var maxEventsPerBatch: Int
    public var maxPageBytes: Int

    /// The highest sequence number on the wire: stores keep sequences in signed 64-bit integers (SQLite).
    public static let maxSequence = UInt64(Int64.max)

    public static let `default` = WireLimits(
        maxNameBytes: 128, maxTokensPerEntry: 64, maxEventsPerPage: 100_000,
        maxBatchesPerPage: 2_000, maxEventsPerBatch: 4_096, maxPageBytes: 64 << 20
    )

    /// Member ids and entry ids: 1–128 bytes of printable ASCII without spaces, or printable UTF-8.
    static func checkName(_ text: String, field: String) throws(WireError) {
        guard !text.isEmpty else { throw .malformed("\(field) is empty") }
        for scalar in text.unicodeScalars where scalar.value < 0x21 || scalar.value == 0x7f {
            throw .malformed("\(field) contains a control or space character")
        }
    }
}
