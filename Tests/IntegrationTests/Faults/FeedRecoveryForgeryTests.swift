import AllianceTestSupport
import ExchangeProtocol
import Foundation
import GRDB
import Testing

@testable import ExchangeNode

/// A restored node takes its own events back from its peers (docs/operations.md, "Design: feed
/// recovery") and checks each against a batch signed with its own key. Delta, a fake peer, answers
/// beta's `GET /v1/held` with pages a dishonest or broken holder could send: beta refuses each, stores
/// nothing of it, keeps its head, and stays in recovery (no publishing) until delta answers truly.
@Suite("Faults: forged answers to feed recovery", .serialized)
struct FeedRecoveryForgeryTests {
    static let betaEntries = 5

    /// Puts beta (not running) in the state a restore from a backup leaves: recovering from its head.
    static func markRecovering(_ scene: PeerFaultScene) throws {
        let queue = try DatabaseQueue(path: FaultStore(scene.beta).path)
        defer { try? queue.close() }
        try queue.write { db in
            let head = UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0)
            try FeedRecoveryState.begin(fromSeq: head, at: 1, db)
        }
    }

    /// (recovering, own head, own entries, delta's entries) of beta's store.
    static func state(_ scene: PeerFaultScene) throws -> (recovering: Bool, head: Int64, own: Int, delta: Int) {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: FaultStore(scene.beta).path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            (try FeedRecoveryState.isPending(db), try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE origin = 'beta'") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE origin = 'delta'") ?? 0)
        }
    }

    /// A fake peer that answers `GET /v1/held` with `page`, and 404 to anything else.
    static func answeringHeld(_ page: [UInt8]) -> FakePeer.Script {
        { request in
            request.path == "/v1/held"
                ? .http(status: 200, contentType: FeedPage.contentType, body: page)
                : .http(status: 404, contentType: "application/json", body: Array(#"{"error":"no such endpoint"}"#.utf8))
        }
    }

    @Test("events signed with another key, altered after signing, or of another origin are refused; recovery waits for a true answer")
    func forgedHeldPages() async throws {
        let scene = try await PeerFaultScene.make("recovery-forgery", betaEntries: Self.betaEntries)
        defer { scene.alliance.shutdown() }
        try Self.markRecovering(scene)
        let before = try Self.state(scene)
        #expect(before.recovering && before.head == Int64(Self.betaEntries) && before.own == Self.betaEntries)

        // What a holder of beta's feed could claim: events after beta's head (#6-#8), as beta's own.
        let asBeta = try FeedForger(caDirectory: scene.alliance.path("CA"), member: "beta")
        let claimed = try (6...8).map { seq in
            try asBeta.event(seq: UInt64(seq), entryID: "B-forged-\(seq)", phone: "1390000000\(seq)",
                             listedOn: Day(parsing: "2026-01-01")!, expiresOn: nil)
        }
        var altered = try asBeta.page(claimed)
        altered.events[1] = (event: try asBeta.event(seq: 7, entryID: "B-swapped", phone: "13900000099",
                                                     listedOn: Day(parsing: "2026-01-01")!, expiresOn: nil), canonical: [])
        altered.events[1].canonical = altered.events[1].event.canonicalBytes()
        let forgeries: [(String, [UInt8], String)] = [
            ("signed with delta's key", try asBeta.page(claimed, signer: scene.forger.key).encoded(), "held feed page refused"),
            ("an event swapped under beta's signature", try altered.encoded(), "held feed page refused"),
            ("delta's own feed", try scene.forger.page(try scene.deltaEvents()).encoded(), "it is the feed of delta"),
        ]
        for (name, page, reason) in forgeries {
            let delta = try await scene.startDelta(Self.answeringHeld(page))
            let outcome = try await scene.syncBeta()
            await delta.stop()
            let run = outcome.run, line = outcome.line("delta") ?? ""
            #expect(run.exitCode == 3 && line.contains("RECOVERY FAILED") && line.contains(reason), "\(name): \(run)")
            let after = try Self.state(scene)
            #expect(after.recovering, "\(name): recovery ended")
            #expect(after.head == before.head && after.own == before.own && after.delta == 0, "\(name): \(after)")
            #expect(!run.stdout.contains("13900000"), "\(name): an identifier in the output")
        }

        // A true answer: delta holds nothing of beta's feed beyond its head. Recovery ends; nothing was added.
        let truthful = try asBeta.page([], coveredThrough: UInt64(Self.betaEntries)).encoded()
        let delta = try await scene.startDelta(Self.answeringHeld(truthful))
        let outcome = try await scene.syncBeta()
        await delta.stop()
        #expect(outcome.line("delta")?.contains("recovered\t0 own events") == true, "\(outcome)")
        let healed = try Self.state(scene)
        #expect(!healed.recovering && healed.head == before.head && healed.own == before.own, "\(healed)")
    }
}
