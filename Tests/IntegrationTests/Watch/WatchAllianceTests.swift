import AllianceTestSupport
import Foundation
import Testing

/// Continuous screening across a three-member alliance of real processes over mTLS (issue 13, "Done
/// when"): every member watches its accounts before any entry exists; after the imports and one
/// sync round each outbox holds exactly the matches a screen of the same accounts gives today;
/// after a revocation and one sync round, exactly one retraction per withdrawn match.
@Suite("Watch: a three-member alliance", .serialized)
struct WatchAllianceTests {
    static let members = ["alpha", "beta", "gamma"]

    /// Entries per member. P1 is listed by alpha and beta; A3 starts tomorrow; A4 has expired;
    /// A6 names two identifiers; B3 is a red-list entry.
    static func entries(_ member: String) -> [String] {
        let (future, past) = (WatchScene.day(1), "2026-06-01")
        switch member {
        case "alpha":
            return ["A1,black,brushing,2,phone,13700000001,2026-01-01,2099-01-01",
                    "A2,black,counterfeiting,3,phone,13700000002,2026-01-01,",
                    "A3,black,brushing,1,phone,13700000003,\(future),2099-01-01",
                    "A4,black,brushing,1,phone,13700000004,2026-01-01,\(past)",
                    "A6,watch,false-advertising,1,phone,13700000006,2026-02-01,2099-01-01",
                    "A6,watch,false-advertising,1,resident-id,11010519491231002X,2026-02-01,2099-01-01"]
        case "beta":
            return ["B1,black,subsidy-fraud,2,phone,+86 137 0000 0001,2026-01-01,2099-01-01",
                    "B2,black,fake-reviews,1,phone,13700000007,2026-01-01,2099-01-01",
                    "B3,red,trustworthy,1,phone,13700000008,2026-01-01,"]
        default:
            return ["G1,black,personal-data-leak,3,phone,13700000009,2026-01-01,2099-01-01",
                    "G2,black,brushing,2,phone,0086 137-0000-0002,2026-01-01,2099-01-01"]
        }
    }

    /// Accounts per member (some match nothing, one only tomorrow, one an expired entry).
    static func accounts(_ member: String) -> [String] {
        switch member {
        case "alpha":
            return ["a-1,phone,13700000007", "a-2,phone,13700000009", "a-3,phone,137 0000 0001", "a-4,phone,13700000003",
                    "a-5,resident-id,11010519491231002x", "a-6,phone,13700000010"]
        case "beta":
            return ["b-1,phone,+8613700000001", "b-2,phone,13700000002", "b-3,phone,13700000004", "b-4,phone,13700000008"]
        default:
            return ["g-1,phone,13700000006", "g-2,phone,13700000007", "g-3,phone,13700000009", "g-4,phone,13700000003"]
        }
    }

    @Test("keyed-hash: the outboxes hold exactly what a screen gives, then one retraction per withdrawn match")
    func keyedHash() async throws { try await scenario(scheme: "keyed-hash") }

    @Test("ecdh-x25519: the outboxes hold exactly what a screen gives, then one retraction per withdrawn match")
    func pairwise() async throws { try await scenario(scheme: "ecdh-x25519") }

    func scenario(scheme: String) async throws {
        let scene = try await WatchScene.make("watch-\(scheme)", members: Self.members, scheme: scheme)
        defer { scene.alliance.shutdown() }
        try await scene.serve(Self.members)
        var files: [String: URL] = [:]
        for member in Self.members {
            files[member] = try scene.accounts(Self.accounts(member), name: "\(member)-accounts.csv")
            let added = try await scene.must(member, ["watch", "add"], [files[member]!.path])
            #expect(added.stdout.contains("registered \(Self.accounts(member).count) accounts (\(Self.accounts(member).count) new, 0 replaced, 0 unchanged); 0 current matches went to the outbox"),
                    "\(added)")
        }
        for member in Self.members { try await scene.importEntries(member, Self.entries(member), name: "entries") }
        for member in Self.members { try await scene.sync(member) }

        let expected: [String: [String]] = [
            "alpha": ["a-1 beta B2", "a-2 gamma G1", "a-3 alpha A1", "a-3 beta B1", "a-5 alpha A6"],
            "beta": ["b-1 alpha A1", "b-1 beta B1", "b-2 alpha A2", "b-2 gamma G2", "b-4 beta B3"],
            "gamma": ["g-1 alpha A6", "g-2 beta B2", "g-3 gamma G1"],
        ]
        for member in Self.members {
            let outbox = try scene.outbox(member)
            let screened = try await scene.screen(member, files[member]!)
            #expect(outbox.keys("match") == screened, "\(member): outbox \(outbox.keys("match")) vs screen \(screened)")
            #expect(screened == expected[member]!.sorted(), "\(member): screen gives \(screened)")
            #expect(outbox.filter { $0.type == "match" }.allSatisfy { $0.source == "watch" }, "\(member): every record comes from the watch")
            #expect(outbox.keys("retraction").isEmpty)
        }

        // alpha withdraws A1: alpha's own match retracts at once, beta's after one round, gamma has none.
        let before = try Dictionary(uniqueKeysWithValues: Self.members.map { ($0, try scene.outbox($0).count) })
        try await scene.must("alpha", ["revoke"], ["--entry", "A1", "--reason", "erroneous"])
        for member in Self.members { try await scene.sync(member) }
        let withdrawn: [String: [String]] = ["alpha": ["a-3 alpha A1"], "beta": ["b-1 alpha A1"], "gamma": []]
        for member in Self.members {
            let outbox = try scene.outbox(member)
            let added = Array(outbox.dropFirst(before[member]!))
            #expect(added.keys("retraction") == withdrawn[member]!, "\(member): retractions \(added.keys("retraction"))")
            #expect(added.keys("match").isEmpty, "\(member): no new match after the revocation: \(added.keys("match"))")
            #expect(outbox.filter { $0.type == "retraction" }.allSatisfy { $0.reason == "erroneous" })
            let screened = try await scene.screen(member, files[member]!)
            let open = Set(outbox.keys("match")).subtracting(outbox.keys("retraction")).sorted()
            #expect(open == screened, "\(member): open matches \(open) vs screen \(screened)")
        }
    }
}
