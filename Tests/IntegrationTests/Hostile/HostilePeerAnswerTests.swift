import ExchangeProtocol
import Foundation
import Testing

/// A hostile peer's answers to the syncing node: values at the edge of the integer ranges, wrong versions,
/// oversized bodies. The syncing process must report the peer as failed (or repaired) and never crash —
/// two of these (`through_seq` and `covered_through` of 2^64-1) used to trap in the store layer.
@Suite("Hostile: peer answers to sync")
struct HostilePeerAnswerTests {
    @Test("sequence numbers beyond the store's range, wrong versions and oversized bodies never crash sync")
    func edgeValues() async throws {
        let scene = try await PeerFaultScene.make("answers")
        defer { scene.alliance.shutdown() }
        let events = try scene.deltaEvents()
        let page = try scene.forger.page(events).encoded()
        let store = FaultStore(scene.beta)

        // A valid page, then a digest claiming through_seq = 2^64-1.
        let hugeDigest = Array(#"{"digest":"00","entries":3,"origin":"delta","through_seq":18446744073709551615}"#.utf8)
        let delta = try await scene.startDelta { request in
            request.path == "/v1/feed" ? .http(status: 200, contentType: FeedPage.contentType, body: page)
                                       : .http(status: 200, contentType: "application/json", body: hugeDigest)
        }
        defer { Task { await delta.stop() } }
        let digestRun = try await scene.syncBeta()
        #expect(digestRun.run.exitedNormally, "a digest with through_seq 2^64-1 crashed sync: \(digestRun)")
        #expect(digestRun.ok("alpha"), "\(digestRun)")
        #expect(try store.inconsistencies(origin: "delta").isEmpty)

        var cases: [(String, [UInt8], String)] = []
        var covered = try scene.forger.page(try scene.deltaEvents(firstSeq: 10))
        covered.coveredThrough = UInt64(Int64.max) + 1
        cases.append(("covered_through 2^63", covered.encoded(), "covered-through sequence exceeds 2^63-1"))
        var version = try scene.forger.page([])
        version.coveredThrough = 3
        var versionBytes = version.encoded()
        versionBytes[5] = 2
        cases.append(("page version 2", versionBytes, "protocol version 2 is not supported"))
        cases.append(("a 65 MiB body", [UInt8](repeating: 0x58, count: 65 << 20), "TooManyBytes"))
        let before = try store.entryLines(origin: "delta")
        let cursor = try store.cursor("delta")
        for (what, body, reason) in cases {
            delta.set { _ in .http(status: 200, contentType: FeedPage.contentType, body: body) }
            let outcome = try await scene.syncBeta()
            #expect(outcome.run.exitedNormally && outcome.failed("delta") && outcome.ok("alpha"), "\(what): \(outcome)")
            #expect(outcome.line("delta")?.contains(reason) == true, "\(what): \(outcome.line("delta") ?? "-")")
            #expect(try store.entryLines(origin: "delta") == before && (try store.cursor("delta")) == cursor, "\(what) changed the store")
        }
    }
}
