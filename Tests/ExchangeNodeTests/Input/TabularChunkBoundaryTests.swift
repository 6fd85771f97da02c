import ExchangeNode
import Testing

/// The same input read with every small chunk size must give exactly what one big read gives.
@Suite struct TabularChunkBoundaryTests {
    static let csvLines: [String] = [
        "ref,kind,identifier,note\r\n",
        "R1,phone,+8613800138000,\"multi\r\nline, with \"\"quotes\"\"\"\r\n",
        "\r\n",
        "R2,\"email\",seller@example.com,中文备注\n",
        "R3,bad\n",
        "R4,k,\"=x\",n\n",
        "R5,k,\"\",\"\"\n",
        "R6,k,\"a\"\"\",\"b\n\nc\"\r\n",
        "R7,k,v,\"unterminated\n",
    ]
    static let csv: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(csvLines.joined().utf8)

    static let jsonlLines: [String] = [
        "{\"ref\":\"R1\",\"identifier\":\"a\\u4e2d\"}\r\n",
        "\n",
        "  {\"ref\": 42, \"identifier\": \"b\", \"role\": null}\n",
        "{\"ref\":\"R3\"}\n",
        "{\"ref\":\"R4\",\"identifier\":\"中文\",\"role\":\"x\"}",
    ]
    static let jsonl: [UInt8] = Array(jsonlLines.joined().utf8)

    @Test func csvIsIndependentOfChunkSize() throws {
        let spec = ColumnSpec(required: ["ref", "kind", "identifier"], optional: ["note"])
        let reference = try readTabular(bytes: Self.csv, columns: spec)
        #expect(reference.rows.map(\.line) == [2, 5, 8, 9])
        #expect(reference.rows.first?.values == ["R1", "phone", "+8613800138000", "multi\r\nline, with \"quotes\""])
        #expect(reference.rows.last?.values == ["R6", "k", "a\"", "b\n\nc"])
        #expect(reference.problems.map(\.kind) == [.fieldCount, .formulaLike, .unterminatedQuote])
        #expect(reference.problems.map { $0.line ?? 0 } == [6, 7, 12])
        for chunk in 1...40 {
            let limits = InputLimits(maxRecordBytes: 64, chunkBytes: chunk)
            #expect(try readTabular(bytes: Self.csv, columns: spec, limits: limits) == reference, "chunk \(chunk)")
        }
    }

    @Test func jsonlIsIndependentOfChunkSize() throws {
        let spec = ColumnSpec(required: ["ref", "identifier"], optional: ["role"])
        let reference = try readTabular(bytes: Self.jsonl, format: .jsonl, columns: spec)
        #expect(reference.rows == [
            Row(line: 1, values: ["R1", "a中", nil]),
            Row(line: 3, values: ["42", "b", nil]),
            Row(line: 5, values: ["R4", "中文", "x"]),
        ])
        #expect(reference.problems.map { $0.line ?? 0 } == [4])
        for chunk in 1...40 {
            let limits = InputLimits(maxRecordBytes: 64, chunkBytes: chunk)
            #expect(try readTabular(bytes: Self.jsonl, format: .jsonl, columns: spec, limits: limits) == reference, "chunk \(chunk)")
        }
    }

    @Test func batchSizesDoNotChangeTheResult() throws {
        let spec = ColumnSpec(required: ["ref", "kind", "identifier"], optional: ["note"])
        let reference = try readTabular(bytes: Self.csv, columns: spec)
        for maxRows in 1...5 {
            var reader = try TabularReader(bytes: Self.csv, name: "input.csv", format: .csv, columns: spec,
                                           limits: InputLimits(chunkBytes: 3))
            var all = RowBatch()
            while let batch = try reader.nextBatch(maxRows: maxRows) {
                #expect(batch.recordCount <= maxRows && !batch.isEmpty)
                all.rows += batch.rows
                all.problems += batch.problems
            }
            #expect(all == reference)
        }
    }
}
