import AllianceTestSupport
import Foundation
import Testing

/// `import` through the real binary: one bad row rejects the whole file, names file, line and field,
/// never echoes the value, and stores nothing; the corrected file then imports completely.
@Suite("EndToEnd: import is all or nothing")
struct EndToEndImportTests {
    /// A 60-line entries CSV (header + 59 rows of several kinds); line 40 holds a resident id whose
    /// check character is `badLine40 ? wrong : right`.
    static func entriesFile(badLine40: Bool) -> (text: String, line40Value: String) {
        var lines = [E2EFixtures.entriesHeader]
        var line40Value = ""
        for row in 1...59 {
            let line = row + 1
            let id = "R\(row)"
            if line == 40 {
                let body = "11010519491231002"
                line40Value = badLine40 ? E2EFixtures.residentIDWithBadCheck(body: body) : E2EFixtures.residentID(body: body)
                lines.append(E2EFixtures.entryRow(id, severity: 3, kind: "resident-id", identifier: line40Value))
            } else if row % 3 == 0 {
                let body = "44010619850315" + String(format: "%03d", row)
                lines.append(E2EFixtures.entryRow(id, category: "counterfeiting", kind: "resident-id",
                                                  identifier: E2EFixtures.residentID(body: body)))
            } else if row % 3 == 1 {
                lines.append(E2EFixtures.entryRow(id, kind: "phone", identifier: String(13_700_000_000 + row)))
            } else {
                lines.append(E2EFixtures.entryRow(id, list: "watch", category: "false-advertising",
                                                  kind: "email", identifier: "shop\(row)@seller-demo.cn"))
            }
        }
        return (lines.joined(separator: "\n") + "\n", line40Value)
    }

    @Test("a bad check character on line 40 of 60 rejects the file, names FILE:40: identifier:, stores nothing")
    func rejectsWholeFileThenImportsFixedOne() async throws {
        let workspace = try TestAlliance("import")
        defer { workspace.shutdown() }
        try await workspace.createCA("CA")
        let node = try await workspace.createNode("alpha")

        let bad = Self.entriesFile(badLine40: true)
        #expect(bad.text.split(separator: "\n").count == 60)
        let badFile = try workspace.write(bad.text, to: "entries-bad.csv")
        let rejected = try await workspace.run(["import", "--home", node.home.path, badFile.path])
        #expect(rejected.exitCode == 2 && !rejected.killedBySignal, "\(rejected)")
        #expect(rejected.stderr.contains("\(badFile.path):40: identifier:"), "\(rejected.stderr)")
        let namedLines = rejected.stderr.split(separator: "\n").filter {
            $0.hasPrefix(badFile.path + ":") && $0.dropFirst(badFile.path.count + 1).first?.isNumber == true
        }
        #expect(namedLines.count == 1, "only line 40 is bad: \(namedLines)")
        #expect(!rejected.stderr.contains(bad.line40Value), "stderr echoes the rejected value")
        #expect(!rejected.stderr.contains(String(bad.line40Value.prefix(17))), "stderr echoes the value's body")
        #expect(!rejected.stdout.contains(String(bad.line40Value.prefix(17))), "stdout echoes the value's body")

        let afterReject = try NodeStatusSnapshot.decode(try await workspace.run(["status", "--home", node.home.path, "--json"]))
        #expect(afterReject.entries == 0 && afterReject.tokens == 0, "store changed: \(afterReject.counts)")
        #expect(afterReject.counts.isEmpty, "\(afterReject.counts)")

        let good = Self.entriesFile(badLine40: false)
        let goodFile = try workspace.write(good.text, to: "entries-good.csv")
        let imported = try await workspace.run(["import", "--home", node.home.path, goodFile.path])
        #expect(imported.succeeded, "\(imported)")
        let afterImport = try NodeStatusSnapshot.decode(try await workspace.run(["status", "--home", node.home.path, "--json"]))
        #expect(afterImport.entries == 59, "\(afterImport.counts)")
        #expect(afterImport.tokens == 59)
        #expect(afterImport.entries(from: "alpha", status: "active") == 59, "\(afterImport.counts)")
    }
}
