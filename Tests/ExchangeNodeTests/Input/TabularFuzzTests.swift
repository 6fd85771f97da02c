import ExchangeNode
import Foundation
import Testing

/// Seeded random inputs: arbitrary bytes never crash the readers, and valid generated CSV and JSONL
/// read back exactly (or are refused exactly where a cell is formula-like).
@Suite struct TabularFuzzTests {
    static let alphabet: [UInt8] = Array(",,,\"\"\"\n\n\r ab1-+={}[]:\\u".utf8) + [0, 0xFF, 0xC3, 0xA9, 0xE4, 0xB8, 0xAD, 0xEF, 0xBB, 0xBF]

    @Test func randomBytesNeverCrash() {
        var random = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<10_000 {
            let count = Int.random(in: 0...120, using: &random)
            var bytes = (0..<count).map { _ in Self.alphabet.randomElement(using: &random)! }
            if Bool.random(using: &random) { bytes = Array("a,b,c\n".utf8) + bytes }
            if Int.random(in: 0..<4, using: &random) == 0 { bytes = Array("{\"a\":\"".utf8) + bytes }
            InputFuzzEntry.parse(bytes: bytes)
        }
    }

    static let cellPieces = ["a", "B7", "+86", "-", "=", "@", " ", ",", "\"", "\n", "\r\n", "é", "中", "x-y", "(", "0", "\t"]

    static func randomCell(_ random: inout SplitMix64) -> String {
        (0..<Int.random(in: 0...4, using: &random)).map { _ in cellPieces.randomElement(using: &random)! }.joined()
    }

    @Test func generatedCSVRoundTrips() throws {
        var random = SplitMix64(seed: 0x5EED_0002)
        for _ in 0..<300 {
            let spec = ColumnSpec(required: ["ref", "kind", "identifier"])
            var text = "ref,kind,identifier\r\n"
            var line = 2
            var expectedRows: [Row] = []
            var expectedRefusals: [Int] = []
            for _ in 0..<Int.random(in: 0...20, using: &random) {
                let cells = (0..<3).map { _ in Self.randomCell(&random) }
                text += cells.map(CSVCell.quote).joined(separator: ",") + (Bool.random(using: &random) ? "\n" : "\r\n")
                if cells.contains(where: CSVCell.isFormulaLike) {
                    expectedRefusals.append(line)
                } else {
                    expectedRows.append(Row(line: line, values: cells))
                }
                line += cells.map { $0.utf8.filter { $0 == 0x0A }.count }.reduce(1, +)
            }
            let limits = InputLimits(maxRecordBytes: 4096, chunkBytes: Int.random(in: 1...64, using: &random))
            let batch = try readTabular(text, columns: spec, limits: limits)
            #expect(batch.rows == expectedRows)
            #expect(batch.problems.map { $0.line ?? 0 } == expectedRefusals)
            #expect(batch.problems.allSatisfy { $0.kind == .formulaLike })
        }
    }

    @Test func generatedJSONLRoundTrips() throws {
        var random = SplitMix64(seed: 0x5EED_0003)
        let spec = ColumnSpec(required: ["ref"], optional: ["identifier"])
        for _ in 0..<200 {
            var text = ""
            var expected: [Row] = []
            var refused: [Int] = []
            let count = Int.random(in: 0...15, using: &random)
            for index in 0..<count {
                var object = ["ref": Self.randomCell(&random), "noise": Self.randomCell(&random)]
                if Bool.random(using: &random) { object["identifier"] = Self.randomCell(&random) }
                let encoded = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
                text += encoded + "\n"
                let values = [object["ref"], object["identifier"]]
                if values.contains(where: { $0.map(CSVCell.isFormulaLike) ?? false }) {
                    refused.append(index + 1)
                } else {
                    expected.append(Row(line: index + 1, values: values))
                }
            }
            let limits = InputLimits(maxRecordBytes: 4096, chunkBytes: Int.random(in: 1...64, using: &random))
            let batch = try readTabular(text, format: .jsonl, columns: spec, limits: limits)
            #expect(batch.rows == expected)
            #expect(batch.problems.map { $0.line ?? 0 } == refused)
        }
    }
}
