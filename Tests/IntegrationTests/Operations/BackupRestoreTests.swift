import AllianceTestSupport
import Foundation
import GRDB
import Testing

/// Issue 14: `backup` while `serve` runs, `restore` into a new home, and feed recovery: a node restored
/// from a backup older than its last publication takes its own events back from its peers before it
/// publishes anything, so no peer ever holds two contents for one sequence number.
@Suite("Operations: backup, restore and feed recovery", .serialized)
struct BackupRestoreTests {
    static let header = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on"

    static func entries(_ prefix: String, _ range: Range<Int>, base: Int, list: String = "black") -> String {
        ([header] + range.map { "\(prefix)\($0),\(list),brushing,2,phone,\(base + $0),2026-01-01,2099-01-01" }).joined(separator: "\n") + "\n"
    }

    @Test("a node restored from a backup older than 1 000 publications recovers them from its peers before publishing; no sequence number is reused; screening is unchanged everywhere")
    func restoreFromAnOlderBackupRecoversTheFeed() async throws {
        let alliance = try TestAlliance("backup-recovery")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(3)
        let (alpha, beta, gamma) = (nodes[0], nodes[1], nodes[2])
        // gamma receives only the black list from alpha, beta everything: the union is what can be recovered.
        try await alliance.must(["peers", "add", "--home", alpha.home.path, "--member", gamma.member, "--url", gamma.peerURL,
                                 "--lists", "black"])
        try await alliance.must(["import", "--home", alpha.home.path, alliance.write(Self.entries("A", 0..<300, base: 13_900_000_000), to: "a1.csv").path])
        try await alliance.must(["import", "--home", beta.home.path, alliance.write(Self.entries("B", 0..<50, base: 13_700_000_000), to: "b.csv").path])
        try await alliance.must(["import", "--home", gamma.home.path, alliance.write(Self.entries("C", 0..<50, base: 13_600_000_000), to: "c.csv").path])
        var alphaServer = try await alliance.serve(alpha)
        try await alliance.serve(beta)
        try await alliance.serve(gamma)
        for node in nodes { try await Self.mustSync(node, in: alliance) }

        // 1. The backup, while alpha serves.
        let backups = alliance.path("backups")
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        let backup = try await alliance.must(["backup", "--home", alpha.home.path, "--out", backups.path])
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: backups.path).first { $0.hasSuffix(".xnbk") })
        let backupPath = backups.appending(path: file).path
        #expect(backup.stdout.contains("own feed through #300"), "\(backup)")
        let mode = try FileManager.default.attributesOfItem(atPath: backupPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // 2. After the backup alpha publishes 1 000 more, revokes one and amends one (a red-list entry, which
        //    only beta receives), and its peers sync all of it.
        try await alliance.must(["import", "--home", alpha.home.path, alliance.write(Self.entries("A", 300..<1300, base: 13_900_000_000), to: "a2.csv").path])
        try await alliance.must(["revoke", "--home", alpha.home.path, "--entry", "A5", "--reason", "erroneous"])
        try await alliance.must(["import", "--home", alpha.home.path,
                                 alliance.write([Self.header, "A6,red,trustworthy,1,phone,13955555555,2026-01-01,2099-01-01"].joined(separator: "\n") + "\n", to: "a3.csv").path])
        try await Self.mustSync(beta, in: alliance)
        try await Self.mustSync(gamma, in: alliance)
        let headBeforeLoss = try await Self.status(alpha, in: alliance).head
        #expect(headBeforeLoss == 1302)
        let heldBefore = [beta.member: try Self.alphaEvents(at: beta), gamma.member: try Self.alphaEvents(at: gamma)]
        #expect(heldBefore[beta.member]?.count == 1300 && heldBefore[gamma.member]?.count == 1299)
        let accounts = Self.accounts()
        var screeningBefore: [String: [String]] = [:]
        for node in nodes { screeningBefore[node.member] = try await Self.screen(accounts, at: node, in: alliance) }
        #expect(screeningBefore[beta.member]?.count ?? 0 > 100, "the accounts match entries of every origin")

        // 3. Alpha's home is lost; the older backup is restored in its place.
        _ = await alliance.stop(alphaServer)
        try FileManager.default.removeItem(at: alpha.home)
        let restore = try await alliance.must(["restore", backupPath, "--home", alpha.home.path])
        #expect(restore.stdout.contains("own feed through #300"), "\(restore)")
        #expect(try await alliance.run(["audit", "verify", "--home", alpha.home.path]).succeeded)
        let pending = try await Self.status(alpha, in: alliance)
        #expect(pending.pending && pending.waitingFor == [beta.member, gamma.member], "\(pending)")

        // 4. Nothing is published while the feed is incomplete: an import is refused, and peers get 503.
        let refused = try await alliance.run(["import", "--home", alpha.home.path,
                                              alliance.write(Self.entries("N", 0..<1, base: 13_500_000_000), to: "n0.csv").path])
        #expect(!refused.succeeded && refused.stderr.contains("recovering its own feed"), "\(refused)")
        alphaServer = try await alliance.serve(alpha)
        let early = try await alliance.run(["sync", "--home", beta.home.path])
        #expect(!early.succeeded && early.stdout.contains("503"), "a peer cannot pull a feed being recovered: \(early)")
        #expect(try Self.alphaEvents(at: beta) == heldBefore[beta.member], "the peer kept its copy")

        // 5. Recovery: alpha asks both peers and takes its events back.
        let recovery = try await alliance.run(["sync", "--home", alpha.home.path])
        #expect(recovery.succeeded, "\(recovery)")
        #expect(recovery.stdout.contains("\(beta.member)\trecovered\t1002 own events"), "\(recovery.stdout)")
        let recovered = try await Self.status(alpha, in: alliance)
        #expect(!recovered.pending && recovered.head >= headBeforeLoss, "\(recovered)")
        // The 1 000 new entries and the amended A6 have no sealed identifiers any more; the revoked A5 keeps
        // its own (a revocation does not change the tokens, so the identifiers from the backup still match).
        #expect(recovered.ownWithoutSealedIdentifiers == 1001, "\(recovered)")
        #expect(try Self.alphaEvents(at: alpha) == heldBefore[beta.member], "alpha holds exactly what beta held of it")
        #expect(try alpha.ledgerInStep(), "the recovered events are in alpha's anti-entropy ledger")

        // 6. Publishing again: new events take sequence numbers above everything a peer holds.
        let published = try await alliance.must(["import", "--home", alpha.home.path,
                                                 alliance.write(Self.entries("N", 0..<10, base: 13_500_000_000), to: "n.csv").path])
        #expect(published.stdout.contains("as events #\(headBeforeLoss + 1)-#\(headBeforeLoss + 10)"), "\(published)")
        try await Self.mustSync(beta, in: alliance)
        try await Self.mustSync(gamma, in: alliance)
        for peer in [beta, gamma] {
            let held = try Self.alphaEvents(at: peer)
            let before = try #require(heldBefore[peer.member])
            // Every sequence number the peer held before the loss still holds the same event; the new ones are above.
            #expect(held.filter { $0.key <= headBeforeLoss } == before, "\(peer.member) holds a changed event")
            #expect(held.keys.filter { $0 > headBeforeLoss }.count == 10)
        }
        // 7. Screening at every member gives the same matches as before the loss.
        for node in nodes {
            #expect(try await Self.screen(accounts, at: node, in: alliance) == screeningBefore[node.member], "\(node.member) screens differently")
        }
        #expect(try await alliance.run(["audit", "verify", "--home", alpha.home.path]).succeeded)
    }

    @Test("restore refuses a home that is not empty and a damaged backup, leaving nothing behind")
    func restoreRefusals() async throws {
        let alliance = try TestAlliance("restore-refusals")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(2)
        try await alliance.must(["import", "--home", nodes[0].home.path, alliance.write(Self.entries("A", 0..<20, base: 13_900_000_000), to: "a.csv").path])
        let file = alliance.path("alpha.xnbk").path
        try await alliance.must(["backup", "--home", nodes[0].home.path, "--out", file])
        let again = try await alliance.run(["backup", "--home", nodes[0].home.path, "--out", file])
        #expect(!again.succeeded && again.stderr.contains("never replaces"), "\(again)")

        // Not empty: refused.
        let existing = try await alliance.run(["restore", file, "--home", nodes[1].home.path])
        #expect(!existing.succeeded && existing.stderr.contains("not empty"), "\(existing)")

        // One flipped byte inside the store's data: the checksum refuses it, and no home or temporary folder is left.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let manifestEnd = 512 + ((try Self.memberSize(bytes, at: 0) + 511) / 512) * 512
        bytes[manifestEnd + 512 + 4096] ^= 0x01
        let damaged = try alliance.write(bytes, to: "damaged.xnbk")
        let target = alliance.path("restored")
        let refused = try await alliance.run(["restore", damaged.path, "--home", target.path])
        #expect(!refused.succeeded && refused.stderr.contains("does not match its SHA-256"), "\(refused)")
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: alliance.root.path).allSatisfy { !$0.contains(".restoring-") })

        // The good file restores into an empty directory (as systemd's StateDirectory= leaves it).
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try await alliance.must(["restore", file, "--home", target.path])
        #expect(try await alliance.run(["audit", "verify", "--home", target.path]).succeeded)
        let manifest = try #require(try Self.manifest(of: file))
        let paths = (manifest["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(paths.first == "store.sqlite" && paths.contains("keys/node.key.pem") && paths.contains("audit/audit.log"), "\(paths)")
        #expect(!paths.contains { $0.hasSuffix(".lock") || $0.hasPrefix("audit/writers") || $0.hasSuffix("-wal") }, "\(paths)")
    }

    // MARK: - Helpers

    struct Recovery: CustomStringConvertible {
        let pending: Bool
        let head: UInt64
        let waitingFor: [String]
        let ownWithoutSealedIdentifiers: Int
        var description: String { "pending \(pending), head \(head), waiting for \(waitingFor), unsealed \(ownWithoutSealedIdentifiers)" }
    }

    static func status(_ node: TestNode, in alliance: TestAlliance) async throws -> Recovery {
        let result = try await alliance.run(["status", "--home", node.home.path, "--json"])
        guard result.succeeded, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let recovery = object["feedRecovery"] as? [String: Any] else {
            throw HarnessError("status: \(result)")
        }
        return Recovery(pending: recovery["pending"] as? Bool ?? false, head: (recovery["head"] as? NSNumber)?.uint64Value ?? 0,
                        waitingFor: recovery["waitingFor"] as? [String] ?? [],
                        ownWithoutSealedIdentifiers: recovery["ownEntriesWithoutSealedIdentifiers"] as? Int ?? -1)
    }

    static func mustSync(_ node: TestNode, in alliance: TestAlliance) async throws {
        let result = try await alliance.run(["sync", "--home", node.home.path])
        guard result.succeeded else { throw HarnessError("sync \(node.member): \(result)") }
    }

    /// What `node` holds of alpha's (member-1's) feed: sequence number → event digest.
    static func alphaEvents(at node: TestNode) throws -> [UInt64: String] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: node.storePath, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var held: [UInt64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT seq, hex(event_digest) AS digest FROM entries WHERE origin = 'member-1'") {
                held[UInt64(row["seq"] as Int64)] = row["digest"]
            }
            return held
        }
    }

    /// Accounts that match alpha's entries from before and after the backup (the revoked A5 and the amended
    /// A6 among them), beta's and gamma's, and some that match nothing.
    static func accounts() -> String {
        var rows = ["ref,kind,identifier"]
        for index in stride(from: 0, to: 1300, by: 7) { rows.append("a\(index),phone,\(13_900_000_000 + index)") }
        rows += ["a5,phone,13900000005", "a6,phone,13900000006", "a6new,phone,13955555555"]
        for index in stride(from: 0, to: 50, by: 3) {
            rows.append("b\(index),phone,\(13_700_000_000 + index)")
            rows.append("c\(index),phone,\(13_600_000_000 + index)")
        }
        rows += ["none1,phone,13812345678", "none2,phone,13812345679"]
        return rows.joined(separator: "\n") + "\n"
    }

    /// The screen's match lines, sorted.
    static func screen(_ accounts: String, at node: TestNode, in alliance: TestAlliance) async throws -> [String] {
        let result = try await alliance.screen(accounts, at: node)
        guard result.exitCode == 0 else { throw HarnessError("screen at \(node.member): \(result)") }
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    /// The size field of the ustar header at `offset`.
    static func memberSize(_ archive: [UInt8], at offset: Int) throws -> Int {
        let field = archive[(offset + 124)..<(offset + 135)]
        guard let size = Int(String(decoding: field, as: UTF8.self), radix: 8) else { throw HarnessError("not a tar header") }
        return size
    }

    /// manifest.json, the archive's first member.
    static func manifest(of path: String) throws -> [String: Any]? {
        let archive = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let size = try memberSize(archive, at: 0)
        return try JSONSerialization.jsonObject(with: Data(archive[512..<(512 + size)])) as? [String: Any]
    }
}
