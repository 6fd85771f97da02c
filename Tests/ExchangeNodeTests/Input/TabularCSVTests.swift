import ExchangeNode
import Testing

@Suite struct TabularCSVTests {
    @Test func plainRowsInDeclaredOrder() throws {
        let batch = try readTabular("identifier,ref,kind\n+8613800138000,R1,phone\nseller@example.com,R2,email\n", columns: threeColumns)
        #expect(batch.problems.isEmpty)
        #expect(batch.rows == [
            Row(line: 2, values: ["R1", "phone", "+8613800138000"]),
            Row(line: 3, values: ["R2", "email", "seller@example.com"]),
        ])
    }

    @Test func quotedFieldsWithCommasQuotesAndEmptyCells() throws {
        let batch = try readTabular("ref,kind,identifier\n\"R,1\",\"say \"\"hi\"\"\",\n\"\",x,\"\"\"\"\n", columns: threeColumns)
        #expect(batch.problems.isEmpty)
        #expect(batch.rows.map(\.values) == [["R,1", "say \"hi\"", ""], ["", "x", "\""]])
    }

    @Test func embeddedNewlinesKeepLineNumbersRight() throws {
        let text = "ref,kind,identifier\nR1,\"two\nlines\",a\nR2,\"three\r\n\nlines\",b\nR3,k,c"
        let batch = try readTabular(text, columns: threeColumns)
        #expect(batch.problems.isEmpty)
        #expect(batch.rows.map(\.line) == [2, 4, 7])
        #expect(batch.rows.map(\.values) == [["R1", "two\nlines", "a"], ["R2", "three\r\n\nlines", "b"], ["R3", "k", "c"]])
    }

    @Test func crlfLineEndingsAndTrailingBlankLines() throws {
        let batch = try readTabular("ref,kind,identifier\r\nR1,k,a\r\n\r\nR2,k,\"b\"\r\n\n", columns: threeColumns)
        #expect(batch.problems.isEmpty)
        #expect(batch.rows == [Row(line: 2, values: ["R1", "k", "a"]), Row(line: 4, values: ["R2", "k", "b"])])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let batch = try readTabular(bytes: [0xEF, 0xBB, 0xBF] + Array("ref,kind,identifier\nR1,k,é\n".utf8), columns: threeColumns)
        #expect(batch.rows == [Row(line: 2, values: ["R1", "k", "é"])])
    }

    @Test func missingRequiredColumnIsNamed() {
        let error = tabularError { _ = try readTabular("ref,identifier\nR1,a\n", columns: threeColumns) }
        #expect(error?.kind == .missingColumn)
        #expect(error?.field == "kind")
        #expect(error?.description == "input.csv:1: kind: required column missing from the header")
        let two = tabularError { _ = try readTabular("ref\nR1\n", columns: threeColumns) }
        #expect(two?.field == "kind, identifier")
    }

    @Test func duplicateDeclaredColumnIsRefused() {
        let error = tabularError { _ = try readTabular("ref,kind,identifier,kind\n", columns: threeColumns) }
        #expect(error?.kind == .duplicateColumn)
        #expect(error?.field == "kind")
    }

    @Test func extraColumnsAreIgnoredAndHeaderNamesTrimmed() throws {
        let batch = try readTabular("note, ref ,kind,identifier,=evil\n\"a,b\",R1,k,x,=1+1\n", columns: threeColumns)
        #expect(batch.problems.isEmpty)  // the formula is in a column nobody asked for
        #expect(batch.rows.map(\.values) == [["R1", "k", "x"]])
    }

    @Test func optionalColumnAbsentOrPresent() throws {
        let spec = ColumnSpec(required: ["ref", "identifier"], optional: ["role"])
        let absent = try readTabular("ref,identifier\nR1,a\n", columns: spec)
        #expect(absent.rows.map(\.values) == [["R1", "a", nil]])
        let present = try readTabular("role,ref,identifier\nlogistics-company,R1,a\n,R2,b\n", columns: spec)
        #expect(present.rows.map(\.values) == [["R1", "a", "logistics-company"], ["R2", "b", ""]])
        #expect(spec.index(of: "role") == 2 && spec.isRequired(at: 1) && !spec.isRequired(at: 2))
    }

    @Test func emptyInputAndBlankOnlyInputAreFatal() {
        #expect(tabularError { _ = try readTabular("", columns: threeColumns) }?.kind == .emptyInput)
        #expect(tabularError { _ = try readTabular("\n\r\n", columns: threeColumns) }?.kind == .emptyInput)
        #expect(tabularError { _ = try readTabular(bytes: [0xEF, 0xBB, 0xBF], columns: threeColumns) }?.kind == .emptyInput)
    }

    @Test func headerOnlyGivesNoBatch() throws {
        var reader = try TabularReader(bytes: Array("ref,kind,identifier\n".utf8), name: "h.csv", format: .csv, columns: threeColumns)
        #expect(try reader.nextBatch() == nil)
        #expect(try reader.nextBatch() == nil)
    }

    @Test func batchesRespectMaxRowsAndProgressReachesFileSize() throws {
        var text = "ref,kind,identifier\n"
        for index in 0..<10 { text += index == 4 ? "bad\n" : "R\(index),k,v\(index)\n" }
        var reader = try TabularReader(bytes: Array(text.utf8), name: "b.csv", format: .csv, columns: threeColumns)
        var sizes: [Int] = []
        var lines: [Int] = []
        var lastProgress = reader.bytesRead
        while let batch = try reader.nextBatch(maxRows: 3) {
            sizes.append(batch.recordCount)
            lines += batch.rows.map(\.line)
            #expect(reader.bytesRead > lastProgress)
            lastProgress = reader.bytesRead
        }
        #expect(sizes == [3, 3, 3, 1])
        #expect(lines == [2, 3, 4, 5, 7, 8, 9, 10, 11])
        #expect(reader.bytesRead == reader.fileSize && reader.fileSize == text.utf8.count)
    }
}
