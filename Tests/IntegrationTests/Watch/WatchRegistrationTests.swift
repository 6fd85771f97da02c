import AllianceTestSupport
import Foundation
import Testing

/// Registering, re-registering and removing watched accounts, through the command and the internal
/// API, on real processes (alpha lists, beta watches).
@Suite("Watch: registration", .serialized)
struct WatchRegistrationTests {
    static let entries = ["X1,black,brushing,2,phone,13700000101,2026-01-01,2099-01-01",
                          "Y1,black,counterfeiting,3,phone,13700000102,2026-01-01,2099-01-01"]

    static func scene(_ name: String) async throws -> WatchScene {
        let scene = try await WatchScene.make(name, members: ["alpha", "beta"], scheme: "keyed-hash")
        do {
            try await scene.importEntries("alpha", entries, name: "entries")
            try await scene.serve(["alpha", "beta"])
            try await scene.sync("beta")
            return scene
        } catch {
            scene.alliance.shutdown()
            throw error
        }
    }

    @Test("a bad row registers nothing and is reported as FILE:LINE: field: reason without the identifier")
    func badRowsRegisterNothing() async throws {
        let scene = try await Self.scene("watch-bad-rows")
        defer { scene.alliance.shutdown() }
        let file = try scene.accounts(["acc-1,phone,13700000101", "acc-2,phone,12345678", ",phone,13700000102",
                                       "acc-4,fax,13700000103", "acc-1,phone,13700000102"], name: "bad.csv")
        let run = try await scene.run("beta", ["watch", "add"], [file.path])
        #expect(run.exitCode == 2 && !run.killedBySignal, "\(run)")
        #expect(run.stderr.contains("\(file.path): registration rejected, nothing was registered (4 problems)"), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path):3: identifier: phone: "), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path):4: ref: is required"), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path):5: kind: unknown identifier kind"), "\(run.stderr)")
        #expect(run.stderr.contains("\(file.path):6: ref: appears more than once"), "\(run.stderr)")
        for identifier in ["12345678", "13700000101", "13700000102", "13700000103"] {
            #expect(!run.stderr.contains(identifier) && !run.stdout.contains(identifier), "an identifier leaked into the output")
        }
        let status = try await scene.status("beta")
        #expect(status["watched"] as? Int == 0)
        #expect(try scene.outbox("beta").isEmpty)
    }

    @Test("registering again replaces: the same identifier changes nothing, another retracts the old matches")
    func registeringAgainReplaces() async throws {
        let scene = try await Self.scene("watch-replace")
        defer { scene.alliance.shutdown() }
        let first = try scene.accounts(["acc-1,phone,13700000101", "acc-2,phone,13700000199"], name: "first.csv")
        let added = try await scene.must("beta", ["watch", "add"], [first.path])
        #expect(added.stdout.contains("registered 2 accounts (2 new, 0 replaced, 0 unchanged); 1 current matches went to the outbox"), "\(added)")
        #expect(try scene.outbox("beta").keys("match") == ["acc-1 alpha X1"])

        let same = try await scene.must("beta", ["watch", "add"], [first.path])
        #expect(same.stdout.contains("registered 2 accounts (0 new, 0 replaced, 2 unchanged); 0 current matches went to the outbox"), "\(same)")
        #expect(try scene.outbox("beta").count == 1)

        // A ref already watched and listed twice is refused as a new one is, whether its first copy
        // keeps it (acc-2) or replaces it (acc-1); nothing is registered.
        let twice = try scene.accounts(["acc-2,phone,13700000199", "acc-2,phone,13700000199", "acc-1,phone,13700000105",
                                        "acc-1,phone,13700000106"], name: "twice.csv")
        let refused = try await scene.run("beta", ["watch", "add"], [twice.path])
        #expect(refused.exitCode == 2, "\(refused)")
        #expect(refused.stderr.contains("\(twice.path): registration rejected, nothing was registered (2 problems)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(twice.path):3: ref: appears more than once"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(twice.path):5: ref: appears more than once"), "\(refused.stderr)")
        #expect(try scene.outbox("beta").count == 1)

        let moved = try scene.accounts(["acc-1,phone,+86 137 0000 0102"], name: "moved.csv")
        let replaced = try await scene.must("beta", ["watch", "add"], [moved.path])
        #expect(replaced.stdout.contains("(0 new, 1 replaced, 0 unchanged); 1 current matches went to the outbox; 1 old matches retracted"), "\(replaced)")
        let outbox = try scene.outbox("beta")
        #expect(outbox.map { "\($0.type) \($0.key) \($0.reason ?? "-") \($0.source ?? "-")" } == [
            "match acc-1 alpha X1 - watch", "retraction acc-1 alpha X1 re-registered watch", "match acc-1 alpha Y1 - watch"])

        // The new identifier is watched: alpha revokes Y1, beta is told after one round; X1 no longer concerns acc-1.
        try await scene.must("alpha", ["revoke"], ["--entry", "Y1", "--reason", "rectified"])
        try await scene.must("alpha", ["revoke"], ["--entry", "X1", "--reason", "rectified"])
        try await scene.sync("beta")
        #expect(try scene.outbox("beta").dropFirst(3).map { "\($0.type) \($0.key) \($0.reason ?? "-")" } == ["retraction acc-1 alpha Y1 rectified"])
    }

    @Test("removing accounts stops their watch and leaves their open matches as they are")
    func removingStopsTheWatch() async throws {
        let scene = try await Self.scene("watch-remove")
        defer { scene.alliance.shutdown() }
        let file = try scene.accounts(["acc-1,phone,13700000101", "acc-2,phone,13700000103"], name: "accounts.csv")
        try await scene.must("beta", ["watch", "add"], [file.path])
        let refs = try scene.alliance.write("ref\nacc-1\nacc-2\nacc-9\n", to: "remove.csv")
        let removed = try await scene.must("beta", ["watch", "remove"], [refs.path])
        #expect(removed.stdout.contains("removed 2 accounts (1 not watched)"), "\(removed)")
        #expect(try await scene.status("beta")["watched"] as? Int == 0)
        // acc-2's subject is listed later: nothing arrives; acc-1's open match stays open (no retraction).
        try await scene.importEntries("alpha", ["Z1,black,brushing,1,phone,13700000103,2026-01-01,2099-01-01"], name: "later")
        try await scene.sync("beta")
        #expect(try scene.outbox("beta").map { "\($0.type) \($0.key)" } == ["match acc-1 alpha X1"])
        let bad = try scene.alliance.write("ref\nacc-3\n" + String(repeating: "x", count: 300) + "\n", to: "long-ref.csv")
        let refused = try await scene.run("beta", ["watch", "remove"], [bad.path])
        #expect(refused.exitCode == 2 && refused.stderr.contains("\(bad.path):3: ref: must be 1-256 characters without control characters"),
                "\(refused)")
    }

    @Test("the internal API registers the valid items and lists the refused ones, as /v1/screen answers, shows the status and removes, behind the bearer token")
    func internalAPI() async throws {
        let scene = try await Self.scene("watch-api")
        defer { scene.alliance.shutdown() }
        let beta = scene.node("beta")
        let token = try beta.internalToken()
        func call(_ method: String, _ path: String, _ body: String?, bearer: Bool = true) async throws -> (status: Int, body: String) {
            var arguments = ["--write-out", "\n%{http_code}", "-X", method]
            if bearer { arguments += ["-H", "Authorization: Bearer \(token)"] }
            if let body {
                let file = try scene.alliance.write(body, to: "body-\(UUID().uuidString.prefix(8)).json")
                arguments += ["-H", "Content-Type: application/json", "--data-binary", "@\(file.path)"]
            }
            let run = try await scene.alliance.curl(arguments + [beta.internalURL + path])
            let text = run.stdout
            guard let newline = text.lastIndex(of: "\n"), let status = Int(text[text.index(after: newline)...]) else {
                throw HarnessError("curl: \(run)")
            }
            return (status, String(text[..<newline]))
        }
        let refused = try await call("POST", "/v1/watch", #"{"items":[{"ref":"r-1","kind":"phone","identifier":"13700000101"}]}"#, bearer: false)
        #expect(refused.status == 401)

        let partial = try await call("POST", "/v1/watch", #"{"items":[{"ref":"r-1","kind":"phone","identifier":"13700000101"},{"ref":"r-2","kind":"phone","identifier":"123"}]}"#)
        #expect(partial.status == 200, "\(partial)")
        let rejected = try JSONSerialization.jsonObject(with: Data(partial.body.utf8)) as? [String: Any]
        #expect(rejected?["registered"] as? Int == 1)
        #expect((rejected?["rejected"] as? [[String: Any]])?.map { $0["ref"] as? String } == ["r-2"])
        #expect((rejected?["matches"] as? [[String: Any]])?.map { $0["ref"] as? String } == ["r-1"])
        #expect(!partial.body.contains("123\""), "the identifier must not come back")
        #expect(try await scene.status("beta")["watched"] as? Int == 1, "the valid item is registered, the refused one not")
        let allRefused = try await call("POST", "/v1/watch", #"{"items":[{"ref":"r-3","kind":"iban","identifier":"x"}]}"#)
        #expect(allRefused.status == 200
                && allRefused.body == #"{"registered":0,"matches":[],"rejected":[{"ref":"r-3","reason":"unknown identifier kind"}]}"#,
                "\(allRefused)")

        let ok = try await call("POST", "/v1/watch", #"{"items":[{"ref":"r-1","kind":"phone","identifier":"13700000101"},{"ref":"r-2","kind":"phone","identifier":"13700000150"}]}"#)
        #expect(ok.status == 200, "\(ok)")
        let answer = try JSONSerialization.jsonObject(with: Data(ok.body.utf8)) as? [String: Any]
        #expect(answer?["registered"] as? Int == 2)
        let matches = answer?["matches"] as? [[String: Any]] ?? []
        #expect(matches.map { "\($0["ref"] as? String ?? "") \($0["entry_id"] as? String ?? "")" } == ["r-1 X1"])
        #expect(matches.first?["measures"] as? [String] == ["M3", "M4", "M5", "M6", "M8", "M9", "M13"])
        #expect(try scene.outbox("beta").keys("match") == ["r-1 alpha X1"])

        let status = try await call("GET", "/v1/watch", nil)
        let object = try JSONSerialization.jsonObject(with: Data(status.body.utf8)) as? [String: Any]
        #expect(object?["watched"] as? Int == 2 && object?["scheme"] as? String == "keyed-hash", "\(status)")
        #expect((object?["peers"] as? [[String: Any]])?.first?["covered"] as? Int == 2, "\(status)")

        let removed = try await call("POST", "/v1/watch/remove", #"{"refs":["r-1","r-9"]}"#)
        #expect(removed.status == 200 && removed.body == #"{"removed":1,"not_watched":1}"#, "\(removed)")
        let tooMany = try await call("POST", "/v1/watch", "{\"items\":[" + (0...10_000).map { #"{"ref":"x\#($0)","kind":"phone","identifier":"13700000101"}"# }
            .joined(separator: ",") + "]}")
        #expect(tooMany.status == 413, "\(tooMany.status)")
    }
}
