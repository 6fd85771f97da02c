import ExchangeNode
import Testing

/// Reads `text` as an in-memory file and returns every row and problem.
func readTabular(
    _ text: String, format: TabularFormat = .csv, columns: ColumnSpec,
    limits: InputLimits = .default, name: String? = nil
) throws(InputError) -> RowBatch {
    try readTabular(bytes: Array(text.utf8), format: format, columns: columns, limits: limits, name: name)
}

func readTabular(
    bytes: [UInt8], format: TabularFormat = .csv, columns: ColumnSpec,
    limits: InputLimits = .default, name: String? = nil
) throws(InputError) -> RowBatch {
    var reader = try TabularReader(bytes: bytes, name: name ?? "input.\(format.rawValue)", format: format, columns: columns, limits: limits)
    return try reader.readAll()
}

/// The InputError `body` throws, or nil (any other error fails the test).
func tabularError(_ body: () throws -> Void) -> InputError? {
    do {
        try body()
        return nil
    } catch let error as InputError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// Deterministic generator for the fuzz and round-trip tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let threeColumns = ColumnSpec(required: ["ref", "kind", "identifier"])
