import AllianceTestSupport
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// The stage for peer-fault tests: `alpha` (a real node serving 20 entries), `delta` (a fake peer at a
/// fixed loopback port, scripted per test) and `beta`, the node under test, which has both as peers.
struct PeerFaultScene {
    static let alphaEntries = 20

    let alliance: TestAlliance
    let alpha: TestNode
    let beta: TestNode
    let alphaServer: ChildProcess
    /// The URL beta knows delta by (a fake peer is started there on demand).
    let deltaPort: Int
    let forger: FeedForger

    static func make(_ name: String, betaEntries: Int = 0) async throws -> PeerFaultScene {
        let alliance = try TestAlliance(name)
        do {
            try await alliance.createCA()
            let alpha = try await alliance.createNode("alpha")
            let beta = try await alliance.createNode("beta")
            try await alliance.issue("delta")
            let deltaPort = try FreePort.find()
            try await alliance.addPeer("alpha", url: alpha.peerURL, to: beta)
            try await alliance.addPeer("delta", url: "https://127.0.0.1:\(deltaPort)", to: beta)
            try await alliance.addPeer("beta", url: beta.peerURL, to: alpha)
            let entries = try alliance.write(FaultFixtures.phoneEntries(count: alphaEntries, prefix: "A"), to: "alpha.csv")
            try await alliance.must(["import", "--home", alpha.home.path, entries.path])
            if betaEntries > 0 {
                let own = try alliance.write(FaultFixtures.phoneEntries(count: betaEntries, prefix: "B", base: 13_600_000_000), to: "beta.csv")
                try await alliance.must(["import", "--home", beta.home.path, own.path])
            }
            let server = try await alliance.serve(alpha)
            return PeerFaultScene(alliance: alliance, alpha: alpha, beta: beta, alphaServer: server, deltaPort: deltaPort,
                                  forger: try FeedForger(caDirectory: alliance.path("CA"), member: "delta"))
        } catch {
            alliance.shutdown()
            throw error
        }
    }

    /// Starts a fake delta at its configured port.
    func startDelta(_ script: @escaping FakePeer.Script) async throws -> FakePeer {
        try await FakePeer(caDirectory: alliance.path("CA"), member: "delta", port: deltaPort, script: script)
    }

    /// One `sync` of beta, with its per-peer lines parsed.
    func syncBeta(timeout: Duration = .seconds(120)) async throws -> SyncOutcome {
        SyncOutcome(run: try await alliance.run(["sync", "--home", beta.home.path], timeout: timeout))
    }

    /// Three delta events for phones 13800000001-3, listed from 2026-01-01 for good.
    func deltaEvents(firstSeq: UInt64 = 1) throws -> [EntryEvent] {
        try (0..<3).map { index in
            try forger.event(seq: firstSeq + UInt64(index), entryID: "D\(index + 1)", phone: "1380000000\(index + 1)",
                             listedOn: Day(parsing: "2026-01-01")!, expiresOn: nil)
        }
    }
}

extension FakePeer {
    /// A well-behaved origin serving `events` (its current state; latest event per entry) from any cursor,
    /// and the matching anti-entropy digest.
    static func serving(_ events: [EntryEvent], by forger: FeedForger, coveredThrough: UInt64? = nil) throws -> Script {
        let through = coveredThrough ?? events.map(\.seq).max() ?? 0
        let pages = try [UInt64: [UInt8]](uniqueKeysWithValues: Set([0, through] + events.map(\.seq)).map { after in
            (after, try forger.page(events.filter { $0.seq > after }, coveredThrough: max(after, through)).encoded())
        })
        let digest = forger.digestJSON(current: events, through: through)
        return { request in
            switch request.path {
            case "/v1/feed":
                let after = UInt64(request.query["after"] ?? "0") ?? 0
                let body = pages[after] ?? (try? forger.page(events.filter { $0.seq > after }, coveredThrough: max(after, through)).encoded()) ?? []
                return .http(status: 200, contentType: FeedPage.contentType, body: body)
            case "/v1/digest":
                return .http(status: 200, contentType: "application/json", body: digest)
            default:
                return .http(status: 404, contentType: "application/json", body: Array(#"{"error":"no such endpoint"}"#.utf8))
            }
        }
    }
}
