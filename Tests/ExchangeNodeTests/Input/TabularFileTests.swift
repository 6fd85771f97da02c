import ExchangeNode
import Foundation
import Testing

/// Reading from real files: extension inference, explicit format, and unreadable paths.
@Suite struct TabularFileTests {
    func temporaryFile(_ name: String, _ contents: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tabular-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readsFilesByExtensionAndOverride() throws {
        let text = "ref,kind,identifier\nR1,phone,+8613800138000\n"
        let csvPath = try temporaryFile("accounts.csv", text)
        defer { try? FileManager.default.removeItem(atPath: (csvPath as NSString).deletingLastPathComponent) }
        var csv = try TabularReader(path: csvPath, columns: threeColumns)
        #expect(csv.fileSize == text.utf8.count)
        #expect(try csv.readAll().rows == [Row(line: 2, values: ["R1", "phone", "+8613800138000"])])
        #expect(csv.bytesRead == text.utf8.count)

        let jsonPath = try temporaryFile("accounts.ndjson", "{\"ref\":\"R1\",\"kind\":\"k\",\"identifier\":\"a\"}\n")
        defer { try? FileManager.default.removeItem(atPath: (jsonPath as NSString).deletingLastPathComponent) }
        var json = try TabularReader(path: jsonPath, columns: threeColumns)
        #expect(json.format == .jsonl)
        #expect(try json.readAll().rows.count == 1)

        let oddPath = try temporaryFile("accounts.txt", "ref,kind,identifier\nR1,k,v\n")
        defer { try? FileManager.default.removeItem(atPath: (oddPath as NSString).deletingLastPathComponent) }
        let unknown = tabularError { _ = try TabularReader(path: oddPath, columns: threeColumns) }
        #expect(unknown?.kind == .unknownFormat)
        #expect(unknown?.file == oddPath)
        var forced = try TabularReader(path: oddPath, format: .csv, columns: threeColumns)
        #expect(try forced.readAll().rows.count == 1)
    }

    @Test func unreadablePathsAreFatal() throws {
        let missing = tabularError { _ = try TabularReader(path: "/nonexistent/dir/accounts.csv", columns: threeColumns) }
        #expect(missing?.kind == .unreadable)
        #expect(missing?.description.hasPrefix("/nonexistent/dir/accounts.csv: cannot open the file: ") == true)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tabular-dir-\(UUID().uuidString).csv").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(tabularError { _ = try TabularReader(path: directory, columns: threeColumns) }?.kind == .unreadable)
    }

    @Test func largeFileStreamsInChunks() throws {
        var text = "ref,kind,identifier\n"
        for index in 0..<50_000 { text += "R\(index),phone,+86138\(String(format: "%08d", index))\n" }
        let path = try temporaryFile("big.csv", text)
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var reader = try TabularReader(path: path, columns: threeColumns, limits: InputLimits(chunkBytes: 4096))
        var count = 0
        var expectedLine = 2
        while let batch = try reader.nextBatch(maxRows: 4096) {
            #expect(batch.problems.isEmpty)
            for row in batch.rows {
                if row.line != expectedLine || row.values[0] != "R\(expectedLine - 2)" { Issue.record("row \(row.line) out of order") }
                expectedLine += 1
            }
            count += batch.rows.count
        }
        #expect(count == 50_000)
        #expect(reader.bytesRead == reader.fileSize)
    }
}
