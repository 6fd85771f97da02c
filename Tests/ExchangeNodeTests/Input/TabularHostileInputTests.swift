import ExchangeNode
import Testing

/// Hostile CSV and JSONL: every bad record is refused with file, line and field, reading goes on,
/// and no error ever repeats a cell's content.
@Suite struct TabularHostileInputTests {
    static let secret = "11010519491231002X"

    /// Reads `header + "\n" + bad + "\nR9,k,ok\n"` and returns the single problem, checking the good row after it.
    func refusal(_ bad: [UInt8], header: String = "ref,kind,identifier", limits: InputLimits = .default) throws -> InputError? {
        let extra = String(repeating: ",", count: header.split(separator: ",").count - 3)
        let bytes = Array("\(header)\n".utf8) + bad + Array("\nR9,k,ok\(extra)\n".utf8)
        let batch = try readTabular(bytes: bytes, columns: threeColumns, limits: limits)
        #expect(batch.rows.last?.values == ["R9", "k", "ok"])
        #expect(batch.problems.count == 1)
        if let problem = batch.problems.first {
            #expect(!problem.description.contains(Self.secret))
            #expect(problem.line == 2)
        }
        return batch.problems.first
    }

    @Test func invalidUTF8RefusesTheRow() throws {
        let problem = try refusal(Array("R1,k,\(Self.secret)".utf8) + [0xC3, 0x28])
        #expect(problem?.kind == .invalidUTF8)
        #expect(problem?.description == "input.csv:2: identifier: not valid UTF-8")
        // Also in a column nobody asked for; and an overlong encoding of '/'.
        let ignored = try refusal(Array("R1,k,x,".utf8) + [0xC0, 0xAF], header: "ref,kind,identifier,note")
        #expect(ignored?.kind == .invalidUTF8)
        #expect(ignored?.field == "column 4")
    }

    @Test func nulByteRefusesTheRow() throws {
        let problem = try refusal(Array("R1,k,\(Self.secret)".utf8) + [0] + Array("x".utf8))
        #expect(problem?.kind == .nulByte)
        #expect(problem?.field == "identifier")
        let quoted = try refusal(Array("R1,\"k".utf8) + [0] + Array("\",x".utf8))
        #expect(quoted?.field == "kind")
    }

    @Test func wrongFieldCount() throws {
        let problem = try refusal(Array("R1,k,\(Self.secret),extra".utf8))
        #expect(problem?.kind == .fieldCount)
        #expect(problem?.description == "input.csv:2: expected 3 fields, found 4")
        #expect(try refusal(Array("R1,\(Self.secret)".utf8))?.kind == .fieldCount)
    }

    @Test func malformedQuoting() throws {
        let stray = try refusal(Array("R1,k,ab\"\(Self.secret)".utf8))
        #expect(stray?.kind == .malformedCSV)
        #expect(stray?.field == "identifier")
        #expect(try refusal(Array("R1,\"k\"x,\(Self.secret)".utf8))?.field == "kind")
        #expect(try refusal(Array("R1,k\rx,\(Self.secret)".utf8))?.kind == .malformedCSV)
    }

    @Test func formulaLikeCellsAreRefused() throws {
        for cell in ["=1+1", "@SUM(A1)", "+A1", "-A1", "+cmd", "\tx", "\"\rx\"", "=\(Self.secret)", "\"=1\""] {
            let problem = try refusal(Array("R1,k,\(cell)".utf8))
            #expect(problem?.kind == .formulaLike, "cell \(cell)")
            #expect(problem?.description == "input.csv:2: identifier: formula-like cell refused")
        }
    }

    @Test func legitimateSignsAndHyphensAreAccepted() throws {
        let cells = ["+8613800138000", "-5", "- 5", "+(86) 138", "-", "+", "a-b", "taobao:seller-1", "x=y", "a@b.c"]
        let text = "ref,kind,identifier\n" + cells.map { "R,k,\($0)\n" }.joined()
        let batch = try readTabular(text, columns: threeColumns)
        #expect(batch.problems.isEmpty)
        #expect(batch.rows.map { $0.values[2] } == cells)
        #expect(!CSVCell.isFormulaLike("+8613800138000") && CSVCell.isFormulaLike("-x") && !CSVCell.isFormulaLike(""))
    }

    @Test func tooLongLineIsSkippedToTheNextNewline() throws {
        let limits = InputLimits(maxRecordBytes: 64, maxFieldBytes: 64, chunkBytes: 16)
        let long = Array("R1,k,".utf8) + Array(repeating: UInt8(ascii: "9"), count: 10_000)
        let problem = try refusal(long, limits: limits)
        #expect(problem?.kind == .tooLong)
        #expect(problem?.description == "input.csv:2: record longer than 64 bytes; skipped to the next line")
        // A too-long quoted record spanning lines: reading resumes after the next physical line feed
        // (inside the quoted text, whose lines are then refused one by one) and line numbers stay right.
        let text = "ref,kind,identifier\nR1,k,\"" + String(repeating: "a\n", count: 40) + "a\",x,y\nR2,k,b\n"
        let batch = try readTabular(text, columns: threeColumns, limits: limits)
        #expect(batch.problems.map(\.kind) == [.tooLong] + Array(repeating: .fieldCount, count: 10) + [.malformedCSV])
        #expect(batch.problems.map { $0.line ?? 0 } == [2] + Array(32...42))
        #expect(batch.rows == [Row(line: 43, values: ["R2", "k", "b"])])
    }

    @Test func multiMegabyteLineWithDefaultLimits() throws {
        let long = Array("R1,k,".utf8) + Array(repeating: UInt8(ascii: "7"), count: 3 << 20)
        let problem = try refusal(long)
        #expect(problem?.kind == .tooLong)
        #expect(problem?.reason == "record longer than 65536 bytes; skipped to the next line")
    }

    @Test func tooLongFieldIsNamed() throws {
        let limits = InputLimits(maxRecordBytes: 1024, maxFieldBytes: 8)
        let problem = try refusal(Array("R1,k,\(Self.secret)".utf8), limits: limits)
        #expect(problem?.kind == .tooLong)
        #expect(problem?.description == "input.csv:2: identifier: field longer than 8 bytes")
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        let text = "ref,kind,identifier\nR1,k,a\nR2,k,\"\(Self.secret)\nmore"
        let batch = try readTabular(text, columns: threeColumns)
        #expect(batch.rows.map(\.line) == [2])
        #expect(batch.problems.count == 1)
        #expect(batch.problems.first?.description == "input.csv:3: identifier: quoted field not closed before the end of the file")
    }

    @Test func badHeadersAreFatal() {
        #expect(tabularError { _ = try readTabular(bytes: Array("ref,kind,identifier".utf8) + [0], columns: threeColumns) }?.kind == .nulByte)
        #expect(tabularError { _ = try readTabular(bytes: Array("ref,kind,".utf8) + [0xFF], columns: threeColumns) }?.kind == .invalidUTF8)
        #expect(tabularError { _ = try readTabular("ref,\"kind\nidentifier", columns: threeColumns) }?.kind == .unterminatedQuote)
        #expect(tabularError { _ = try readTabular("ref,k\"ind,identifier\n", columns: threeColumns) }?.kind == .malformedHeader)
        let limits = InputLimits(maxRecordBytes: 16, chunkBytes: 4)
        let long = tabularError { _ = try readTabular("ref,kind,identifier,aaaaaaaaaaaaaaa\nR,k,v\n", columns: threeColumns, limits: limits) }
        #expect(long?.kind == .tooLong)
        #expect(long?.line == 1)
    }

    @Test func manyBadRowsAreAllReportedInOrder() throws {
        var text = "ref,kind,identifier\n"
        for index in 0..<100 { text += index % 3 == 0 ? "R\(index),=x,\(Self.secret)\n" : "R\(index),k,v\n" }
        let batch = try readTabular(text, columns: threeColumns)
        #expect(batch.problems.count == 34)
        #expect(batch.rows.count == 66)
        #expect(batch.problems.map { $0.line ?? 0 } == stride(from: 2, through: 101, by: 3).map { $0 })
        #expect(batch.problems.allSatisfy { $0.field == "kind" && !$0.description.contains(Self.secret) })
    }
}
