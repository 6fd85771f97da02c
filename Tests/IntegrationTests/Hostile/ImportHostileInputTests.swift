import AllianceTestSupport
import Foundation
import Testing

@testable import ExchangeNode

/// Hostile entries files at `import`: invalid UTF-8, NUL bytes, a 1 MiB line, formula-injection cells.
/// Each is refused with `FILE:LINE: field: reason` naming the defence that caught it (so removing that
/// defence makes the test fail: the cell would otherwise pass validation), the value is never echoed,
/// and through the real binary the exit status is 2 and the store is unchanged.
@Suite("Hostile: entries files at import")
struct ImportHostileInputTests {
    static let header = Array((FaultFixtures.header + "\n").utf8)

    /// A valid row whose cells are all acceptable; `entryID` and `identifier` are raw bytes so tests can poison them.
    static func row(entryID: [UInt8], kind: String = "account", identifier: [UInt8]) -> [UInt8] {
        entryID + Array(",black,brushing,1,\(kind),".utf8) + identifier + Array(",2026-01-01,2027-01-01\n".utf8)
    }

    static let goodRow = row(entryID: Array("G1".utf8), identifier: Array("taobao:seller-1".utf8))

    /// Validates `bytes` as an entries file and returns the problem lines (empty when it would import).
    static func problems(_ bytes: [UInt8], name: String = "hostile.csv") throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appending(path: "xn-import-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appending(path: name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try EntryImporter.validate(path: path)
            return []
        } catch {
            guard error.code == .importRejected else { return ["unexpected: \(error)"] }
            return error.problems.map { $0.replacingOccurrences(of: path, with: name) }
        }
    }

    @Test("the control file imports: every poisoned cell below is otherwise acceptable")
    func controlFileIsValid() throws {
        #expect(try Self.problems(Self.header + Self.goodRow + Self.row(entryID: Array("cmd".utf8), identifier: Array("taobao:abc".utf8))) == [])
    }

    @Test("invalid UTF-8 in a cell is refused as such, with FILE:LINE: field")
    func invalidUTF8() throws {
        for bad: [UInt8] in [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf]] {
            let file = Self.header + Self.goodRow + Self.row(entryID: Array("B1".utf8), identifier: Array("taobao:x".utf8) + bad + Array("y".utf8))
            #expect(try Self.problems(file) == ["hostile.csv:3: identifier: not valid UTF-8"], "bytes \(bad)")
        }
        // In the header too (a file-level error).
        let badHeader = Array("entry_id,list,category,severity,kind,identifier,listed_on,expires_\u{FF}".utf8).map { $0 == 0xC3 ? 0xFF : $0 }
        let headerProblems = try Self.problems(badHeader + [0x0A] + Self.goodRow)
        #expect(headerProblems.count == 1 && headerProblems[0].hasPrefix("hostile.csv:1: column 8: header not valid UTF-8"), "\(headerProblems)")
    }

    @Test("a NUL byte in a cell is refused as such")
    func nulByte() throws {
        let file = Self.header + Self.goodRow + Self.row(entryID: Array("N1".utf8), identifier: Array("taobao:ab".utf8) + [0] + Array("cd".utf8))
        #expect(try Self.problems(file) == ["hostile.csv:3: identifier: contains a NUL byte"])
    }

    @Test("a 1 MiB line is refused as too long without buffering it, and the next lines are still read")
    func hugeLine() throws {
        let huge = Self.row(entryID: Array("H1".utf8), identifier: Array("taobao:".utf8) + [UInt8](repeating: 0x61, count: 1 << 20))
        let afterwards = Self.row(entryID: Array("B2".utf8), kind: "phone", identifier: Array("12345".utf8))
        let problems = try Self.problems(Self.header + Self.goodRow + huge + afterwards)
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.first == "hostile.csv:3: record longer than 65536 bytes; skipped to the next line", "\(problems)")
        #expect(problems.last?.hasPrefix("hostile.csv:4: identifier: ") == true, "the row after the long line was not read: \(problems)")
    }

    @Test("formula-injection cells (=cmd, @SUM, +cmd, -cmd, tab, CR) are refused in any column")
    func formulaInjection() throws {
        let cells: [[UInt8]] = [Array("=cmd|' /C calc'!A0".utf8), Array("@SUM(1+1)".utf8), Array("+cmd".utf8), Array("-cmd".utf8),
                                [0x09] + Array("cmd".utf8), Array("=1+2".utf8)]
        for cell in cells {
            // As an entry id, which would otherwise be accepted (1-128 printable characters).
            let asID = Self.header + Self.goodRow + Self.row(entryID: cell, identifier: Array("taobao:abc".utf8))
            #expect(try Self.problems(asID) == ["hostile.csv:3: entry_id: formula-like cell refused"], "\(String(decoding: cell, as: UTF8.self))")
        }
        // As an account identifier (platform:handle) that would otherwise parse.
        let asIdentifier = Self.header + Self.row(entryID: Array("F1".utf8), identifier: Array("=taobao:cmd".utf8))
        #expect(try Self.problems(asIdentifier) == ["hostile.csv:2: identifier: formula-like cell refused"])
        // Ordinary signs are not formulas.
        let signs = Self.header + Self.row(entryID: Array("S1".utf8), kind: "phone", identifier: Array("+8613800138000".utf8))
        #expect(try Self.problems(signs) == [])
    }

    @Test("through the binary: every hostile class at once → exit 2, FILE:LINE per row, no value echoed, store unchanged")
    func importCommandRefusesTheFile() async throws {
        let alliance = try TestAlliance("import")
        defer { alliance.shutdown() }
        try await alliance.createCA()
        let alpha = try await alliance.createNode("alpha")
        try await alliance.must(["import", "--home", alpha.home.path,
                                 try alliance.write(FaultFixtures.phoneEntries(count: 5, prefix: "P"), to: "good.csv").path])
        let before = try FaultStore(alpha).entryLines()
        #expect(before.count == 5)

        var bytes = Self.header + Self.row(entryID: Array("X1".utf8), identifier: Array("taobao:fresh-1".utf8))
        bytes += Self.row(entryID: Array("X2".utf8), identifier: Array("taobao:secret".utf8) + [0xff])                // line 3
        bytes += Self.row(entryID: Array("X3".utf8), identifier: Array("taobao:secret".utf8) + [0] + [0x41])        // line 4
        bytes += Self.row(entryID: Array("X4".utf8), identifier: Array("taobao:".utf8) + [UInt8](repeating: 0x62, count: 1 << 20))  // 5
        bytes += Self.row(entryID: Array("=cmd|'/C calc'!A0".utf8), identifier: Array("taobao:secret2".utf8))     // line 6
        bytes += Self.row(entryID: Array("X6".utf8), kind: "phone", identifier: Array("13900000002".utf8))          // line 7, valid
        let file = try alliance.write(bytes, to: "hostile.csv")
        let result = try await alliance.run(["import", "--home", alpha.home.path, file.path])
        #expect(result.exitCode == 2 && result.exitedNormally, "\(result)")
        let named = result.stderr.split(separator: "\n").filter { $0.hasPrefix(file.path + ":") }.map {
            String($0.dropFirst(file.path.count + 1))
        }.filter { $0.first?.isNumber == true }
        #expect(named == [
            "3: identifier: not valid UTF-8", "4: identifier: contains a NUL byte",
            "5: record longer than 65536 bytes; skipped to the next line", "6: entry_id: formula-like cell refused",
        ], "\(result.stderr)")
        for secret in ["secret", "bbbbbbbb", "calc", "fresh-1"] {
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret), "output echoes \(secret)")
        }
        #expect(try FaultStore(alpha).entryLines() == before, "a refused import changed the store")
        #expect(try FaultStore(alpha).ownHead() == 5, "a refused import consumed sequence numbers")
    }
}
