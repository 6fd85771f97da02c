import AllianceTestSupport
import Foundation
import NodeTestSupport
import Synchronization
import Testing

@testable import ExchangeNode

/// serve's membership loop applies an expulsion while the feed loops run (docs/membership.md, 2): a
/// feed loop must never record a successful pull from a member after the node recorded its expulsion
/// (the CI once saw one, when a pull's digest exchange outlasted the expulsion).
@Suite("Membership: a success with a member is never recorded after its expulsion")
struct ExpulsionOrderTests {
    @Test("a success recorded while the expulsion is announced comes before it; once it is, the success is refused")
    func successIsOrderedBeforeTheExpulsionOrRefused() async throws {
        let alliance = try TestAlliance("expulsion-order", nodes: ["alpha-mall", "beta-rides"])
        defer { alliance.shutdown() }
        let peers = alliance.context("alpha-mall").livePeers
        let journal = Journal()

        #expect(peers.unlessExpelled("beta-rides") { journal.write("ok") })
        // Many successes race one expulsion: every "ok" is written before "expelled", never after.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2_000 {
                group.addTask {
                    _ = peers.unlessExpelled("beta-rides") { journal.write("ok") }
                }
            }
            group.addTask {
                peers.setExpelled(["beta-rides"]) { journal.write("expelled") }
            }
        }
        let written = journal.lines
        let announced = try #require(written.firstIndex(of: "expelled"))
        #expect(written.count(where: { $0 == "expelled" }) == 1)
        #expect(!written[(announced + 1)...].contains("ok"), "a success was recorded after the expulsion")
        #expect(!peers.unlessExpelled("beta-rides") { journal.write("ok") })
        #expect(journal.lines.count == written.count, "a refused success runs nothing")
        #expect(!peers.current.nodes.contains { $0.member == "beta-rides" })

        // Re-admitted: successes are recorded again.
        peers.setExpelled([])
        #expect(peers.unlessExpelled("beta-rides") { journal.write("ok") })
        #expect(journal.lines.last == "ok")
    }
}

/// What the concurrent writers recorded, in order.
private final class Journal: Sendable {
    private let state = Mutex<[String]>([])
    func write(_ line: String) { state.withLock { $0.append(line) } }
    var lines: [String] { state.withLock { $0 } }
}
