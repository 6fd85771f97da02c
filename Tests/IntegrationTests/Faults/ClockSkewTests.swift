import ExchangeProtocol
import Foundation
import Testing

/// Clock skew between nodes. An origin whose clock runs ahead or behind stamps its events with its own
/// `changed_at` and may list an entry "from tomorrow" by the screening node's calendar. Expiry and listing
/// are civil days (`listed_on <= D < expires_on`) and D is the *screening node's* day — its own UTC date, or
/// `--as-of` / `as_of` — so the origin's clock never decides whether a subject matches.
@Suite("Faults: clock skew between nodes")
struct ClockSkewTests {
    @Test("entries from a skewed origin sync, and match by the screening node's own day only")
    func expiryUsesTheScreeningNodesDay() async throws {
        let scene = try await PeerFaultScene.make("skew")
        defer { scene.alliance.shutdown() }
        let today = Day.utc(unixSeconds: Int64(Date().timeIntervalSince1970))
        func day(_ offset: Int32) -> Day { Day(ordinal: today.ordinal + offset) }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let f = scene.forger
        let events = [
            // Origin clock one day ahead: listed "today" there is tomorrow here; changed_at is in our future.
            try f.event(seq: 1, entryID: "AHEAD", phone: "13700000001", listedOn: day(1), expiresOn: day(30), changedAt: now + 86_400_000),
            // Expires tomorrow by our calendar; the origin's clock is three years slow.
            try f.event(seq: 2, entryID: "EXPIRING", phone: "13700000002", listedOn: day(-10), expiresOn: day(1), changedAt: now - 3 * 365 * 86_400_000),
            // Expired today (expires_on is the first day it no longer applies); changed_at at the epoch.
            try f.event(seq: 3, entryID: "EXPIRED", phone: "13700000003", listedOn: day(-10), expiresOn: today, changedAt: 0),
            // A changed_at far in the future must not make anything "newer" than a later sequence number.
            try f.event(seq: 4, entryID: "FUTURE-STAMP", phone: "13700000004", listedOn: day(-1), expiresOn: nil, changedAt: Int64(4_102_444_800_000)),
        ]
        let delta = try await scene.startDelta(try FakePeer.serving(events, by: f))
        defer { Task { await delta.stop() } }
        let synced = try await scene.syncBeta()
        #expect(synced.run.succeeded && synced.applied("delta") == 4, "skewed events must sync: \(synced)")

        let accounts = try scene.alliance.write(
            "ref,kind,identifier\n" + (1...4).map { "acc-\($0),phone,1370000000\($0)" }.joined(separator: "\n") + "\n", to: "accounts.csv")
        func matches(asOf: Day?) async throws -> Set<String> {
            let out = scene.alliance.path("matches-\(asOf?.description ?? "default").jsonl")
            let run = try await scene.alliance.run(["screen", "--home", scene.beta.home.path, accounts.path, "--out", out.path, "--no-record"]
                                                   + (asOf.map { ["--as-of", $0.description] } ?? []))
            #expect(run.succeeded, "\(run)")
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            return Set(text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["entry_id"] as? String
            })
        }
        let byDay = try await [-11, -2, -1, 0, 1, 29, 30].asyncMap { (offset: $0, ids: try await matches(asOf: day(Int32($0)))) }
        let expected: [Int: Set<String>] = [
            -11: [], -2: ["EXPIRING", "EXPIRED"], -1: ["EXPIRING", "EXPIRED", "FUTURE-STAMP"], 0: ["EXPIRING", "FUTURE-STAMP"],
            1: ["AHEAD", "FUTURE-STAMP"], 29: ["AHEAD", "FUTURE-STAMP"], 30: ["FUTURE-STAMP"],
        ]
        for (offset, ids) in byDay { #expect(ids == expected[offset], "as of today\(offset >= 0 ? "+" : "")\(offset): \(ids.sorted())") }
        // Without --as-of the node uses its own UTC date: the same as as-of today.
        let ownDay = try await matches(asOf: nil)
        #expect(ownDay == ["EXPIRING", "FUTURE-STAMP"], "\(ownDay.sorted())")

        // A later event of the same entry replaces it even when its changed_at is older (sequence order rules).
        let newer = try f.event(seq: 5, entryID: "FUTURE-STAMP", version: 2, revoked: true, phone: "13700000004",
                                listedOn: day(-1), expiresOn: nil, changedAt: now - 1000)
        delta.set(try FakePeer.serving(Array(events.prefix(3)) + [newer], by: f))
        let revoked = try await scene.syncBeta()
        #expect(revoked.run.succeeded && revoked.applied("delta") == 1, "\(revoked)")
        let afterRevocation = try await matches(asOf: today)
        #expect(afterRevocation == ["EXPIRING"], "\(afterRevocation.sorted())")
    }
}

extension Array {
    /// Maps in order, awaiting each element.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
