import ExchangeNode
import Testing

@Suite struct CSVCellTests {
    @Test(arguments: [
        ("plain", "plain"),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("=1+1", "'=1+1"),
        ("+8613800138000", "'+8613800138000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("=a,b", "\"'=a,b\""),
        ("", ""),
        (" padded", "\" padded\""),
    ])
    func escapeForOutput(value: String, expected: String) {
        #expect(CSVCell.escapeForOutput(value) == expected)
    }

    @Test func outputLineReadsBackNeutralised() throws {
        let line = CSVCell.outputLine(["R1", "=HYPERLINK(\"x\")", "a,b\nc"])
        let batch = try readTabular("ref,kind,identifier\n" + line + "\n", columns: threeColumns)
        #expect(batch.rows.first?.values == ["R1", "'=HYPERLINK(\"x\")", "a,b\nc"])
    }
}
