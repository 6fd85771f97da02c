import ExchangeNode
import Testing

@Suite struct TabularJSONLTests {
    let spec = ColumnSpec(required: ["ref", "identifier"], optional: ["role"])

    func read(_ text: String, limits: InputLimits = .default) throws -> RowBatch {
        try readTabular(text, format: .jsonl, columns: spec, limits: limits)
    }

    @Test func flatObjectsStringsNumbersNull() throws {
        let text = """
            {"ref":"R1","identifier":"+8613800138000","role":null}

            {"identifier": 6222020200112233446, "ref": -12.5e3 , "extra": "ignored", "role": "logistics-staff"}\r
            \t {"ref":"R\\u00e9\\"","identifier":"\\ud83d\\ude00 a\\/b\\n","more":[1,{"x":2}]}
            """
        let batch = try read(text)
        #expect(batch.rows == [
            Row(line: 1, values: ["R1", "+8613800138000", nil]),
            Row(line: 3, values: ["-12.5e3", "6222020200112233446", "logistics-staff"]),
        ])
        // Nested values are refused even under a key nobody asked for.
        #expect(batch.problems.map(\.kind) == [.nestedValue])
        #expect(batch.problems.first?.line == 4)
        #expect(batch.problems.first?.field == nil)
    }

    @Test func escapesDecode() throws {
        let batch = try read(#"{"ref":"R\u00e9\"","identifier":"\ud83d\ude00 a\/b\n\u4e2d"}"#)
        #expect(batch.rows.first?.values == ["Ré\"", "😀 a/b\n中", nil])
    }

    @Test func ndjsonExtensionAndFormatInference() {
        #expect(TabularFormat(inferringFrom: "/x/members.NDJSON") == .jsonl)
        #expect(TabularFormat(inferringFrom: "members.jsonl") == .jsonl)
        #expect(TabularFormat(inferringFrom: "members.Csv") == .csv)
        #expect(TabularFormat(inferringFrom: "members.txt") == nil)
        #expect(TabularFormat(inferringFrom: "dir.csv/members") == nil)
    }

    @Test(arguments: [
        (#"["R1","a"]"#, InputError.Kind.notAnObject, nil as String?),
        (#""R1""#, .notAnObject, nil),
        (#"{"ref":"R1","identifier":{"n":"SECRET"}}"#, .nestedValue, "identifier"),
        (#"{"ref":"R1","identifier":["SECRET"]}"#, .nestedValue, "identifier"),
        (#"{"ref":true,"identifier":"SECRET"}"#, .unsupportedValue, "ref"),
        (#"{"ref":"R1"}"#, .missingField, "identifier"),
        (#"{"ref":"R1","identifier":null}"#, .missingField, "identifier"),
        (#"{"ref":"R1","identifier":"SECRET","identifier":"b"}"#, .duplicateKey, "identifier"),
        (#"{"ref":"R1","identifier":"=SECRET"}"#, .formulaLike, "identifier"),
        (#"{"ref":"R1","identifier":"\tSECRET"}"#, .formulaLike, "identifier"),
        (#"{"ref":"R1","identifier":"SE\u0000CRET"}"#, .nulByte, "identifier"),
        (#"{"ref":"R1","identifier":"\ud800SECRET"}"#, .malformedJSON, "identifier"),
        (#"{"ref":"R1","identifier":"SECRET"} x"#, .malformedJSON, nil),
        (#"{"ref":"R1","identifier":"SECRET""#, .malformedJSON, nil),
        (#"{"ref":"R1","identifier":"SECRET}"#, .malformedJSON, "identifier"),
        (#"{"ref":"R1","identifier":01}"#, .malformedJSON, "identifier"),
        (#"{"ref":"R1","identifier":-}"#, .malformedJSON, "identifier"),
        (#"{"ref":"R1","identifier":nul}"#, .malformedJSON, "identifier"),
        (#"{"ref":"R1",,"identifier":"SECRET"}"#, .malformedJSON, nil),
        (#"{"ref" "R1"}"#, .malformedJSON, "ref"),
    ])
    func badLinesAreRefused(line: String, kind: InputError.Kind, field: String?) throws {
        let batch = try read(line + "\n{\"ref\":\"R9\",\"identifier\":\"ok\"}\n")
        #expect(batch.problems.count == 1)
        #expect(batch.problems.first?.kind == kind)
        #expect(batch.problems.first?.field == field)
        #expect(batch.problems.first?.line == 1)
        #expect(batch.problems.first?.description.contains("SECRET") == false)
        #expect(batch.rows == [Row(line: 2, values: ["R9", "ok", nil])])
    }

    @Test func rawBytesInLines() throws {
        let good = Array("\n{\"ref\":\"R9\",\"identifier\":\"ok\"}\n".utf8)
        let invalid = try readTabular(bytes: Array(#"{"ref":"R1","identifier":""#.utf8) + [0xED, 0xA0, 0x80] + Array("\"}".utf8) + good,
                                      format: .jsonl, columns: spec)
        #expect(invalid.problems.map(\.kind) == [.invalidUTF8])
        #expect(invalid.problems.first?.field == "identifier")
        let nul = try readTabular(bytes: Array(#"{"ref":"R1","identifier":"a"#.utf8) + [0] + Array("\"}".utf8) + good,
                                  format: .jsonl, columns: spec)
        #expect(nul.problems.map(\.kind) == [.nulByte])
        #expect(nul.rows.count == 1)
    }

    @Test func tooLongLineIsSkipped() throws {
        let limits = InputLimits(maxRecordBytes: 40, maxFieldBytes: 40, chunkBytes: 8)
        let long = #"{"ref":"R1","identifier":""# + String(repeating: "9", count: 5000) + "\"}"
        let batch = try read("\n" + long + "\n{\"ref\":\"R9\",\"identifier\":\"ok\"}", limits: limits)
        #expect(batch.problems.map(\.kind) == [.tooLong])
        #expect(batch.problems.first?.line == 2)
        #expect(batch.rows == [Row(line: 3, values: ["R9", "ok", nil])])
        let field = try read(#"{"ref":"R1","identifier":"0123456789"}"#, limits: InputLimits(maxFieldBytes: 5))
        #expect(field.problems.first?.description == "input.jsonl:1: identifier: field longer than 5 bytes")
    }
}
