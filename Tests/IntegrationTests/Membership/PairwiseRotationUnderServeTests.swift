import AllianceTestSupport
import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// `keys rotate` beside a running `serve` under the pairwise scheme (docs/membership.md, 4): the running
/// process follows the rotation without a restart, and screening fails for no longer than the rotation's
/// own transaction — measured against the duration the rotation reports, not a fixed time.
@Suite("Membership: pairwise key rotation under a running serve", .serialized)
struct PairwiseRotationUnderServeTests {
    static let listed: [Range<Int>] = [0..<300, 300..<600, 600..<900]
    static let accounts = Array(stride(from: 0, to: 950, by: 7))

    /// Tells the screening loops to end.
    final class StopFlag: Sendable {
        private let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        var isSet: Bool { flag.withLock { $0 } }
    }

    /// One screening request as a client saw it.
    struct Request: Sendable {
        let start: ContinuousClock.Instant
        let end: ContinuousClock.Instant
        /// Why it failed (not 200, a peer that could not mask, or matches missing), nil when it did not.
        let failure: String?
        let stale: [String]
    }

    @Test("screening at the rotating node and at a peer never fails for longer than the rotation's transaction, and the running serve uses the new key at once")
    func rotatingUnderARunningServe() async throws {
        let alliance = try TestAlliance("rotate-under-serve")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(3, scheme: "ecdh-x25519")
        for (index, node) in nodes.enumerated() {
            #expect(try await alliance.importEntries(MembershipScene.entries(Self.listed[index], prefix: "M\(index + 1)"), at: node).succeeded)
        }
        for node in nodes { try await alliance.serve(node) }
        for node in nodes { #expect(try await alliance.sync(node).succeeded) }
        let (rotating, peer) = (nodes[0], nodes[1])
        let expected = try await MembershipScene.screen(alliance, rotating, Self.accounts).set
        #expect(expected.count == Self.accounts.filter { $0 < 900 }.count)
        #expect(try await MembershipScene.screen(alliance, peer, Self.accounts).set == expected)

        // Both nodes are screened continuously while `keys rotate` runs beside the rotating node's serve.
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let stop = StopFlag()
        // Three screening loops per node: on a loaded machine one loop's requests can be slower than the
        // rotation, and too few of them would overlap it to show anything.
        async let atRotating = Self.screenContinuously(client, rotating, expected: expected, stop: stop, loops: 3)
        async let atPeer = Self.screenContinuously(client, peer, expected: nil, stop: stop, loops: 3)
        try await Task.sleep(for: .milliseconds(500))
        let rotationStart = ContinuousClock.now
        let rotated = try await alliance.run(["keys", "rotate", "--home", rotating.home.path])
        let rotationEnd = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(500))
        stop.set()
        let (rotatingRequests, peerRequests) = await (atRotating, atPeer)
        try await client.shutdown()

        #expect(rotated.succeeded, "\(rotated)")
        let transaction = try #require(Self.transactionMillis(rotated.stdout), "the rotation reports its transaction: \(rotated.stdout)")
        for (label, requests) in [("rotating node", rotatingRequests), ("peer", peerRequests)] {
            let during = requests.filter { $0.end > rotationStart && $0.start < rotationEnd }
            #expect(during.count >= 3, "\(label): too few requests overlapped the rotation (\(during.count))")
            let window = Self.longestFailureWindow(requests)
            #expect(window <= .milliseconds(transaction),
                    "\(label): requests failed for \(window) (the rotation's transaction took \(transaction) ms): \(requests.compactMap(\.failure).prefix(5))")
        }
        // The rotating node screened with its new key without a restart: its answers after the rotation are complete.
        #expect(rotatingRequests.filter { $0.start > rotationEnd }.allSatisfy { $0.failure == nil })
        // The peer sees the rotating node answer under epoch 2 until it syncs, then everything is as before.
        let stale = try await MembershipScene.screen(alliance, peer, Self.accounts)
        #expect(stale.staleOrigins == [.init(member: rotating.member, answeredEpoch: 2, storedEpochs: [1])])
        #expect(try await alliance.sync(peer).succeeded)
        let synced = try await MembershipScene.screen(alliance, peer, Self.accounts)
        #expect(synced.staleOrigins == nil && synced.set == expected)
        #expect(try await MembershipScene.screen(alliance, rotating, Self.accounts).set == expected)

        // Again through the internal API: the running process rotates itself and answers what it did.
        let viaAPI = try await alliance.internalAPI(rotating, "POST", "/v1/keys/rotate")
        #expect(viaAPI.status == 200, "\(viaAPI)")
        let answer = try JSONSerialization.jsonObject(with: Data(viaAPI.body.utf8)) as? [String: Any]
        #expect(answer?["from_epoch"] as? Int == 2 && answer?["to_epoch"] as? Int == 3, "\(viaAPI.body)")
        #expect(answer?["own_entries"] as? Int == Self.listed[0].count && answer?["peer_entries"] as? Int == 600, "\(viaAPI.body)")
        #expect(answer?["transaction_ms"] is Int, "\(viaAPI.body)")
        #expect(try await MembershipScene.screen(alliance, rotating, Self.accounts).set == expected)
        let afterAPI = try await MembershipScene.screen(alliance, peer, Self.accounts)
        #expect(afterAPI.staleOrigins == [.init(member: rotating.member, answeredEpoch: 3, storedEpochs: [2])])
        #expect(try await alliance.sync(peer).succeeded)
        #expect(try await MembershipScene.screen(alliance, peer, Self.accounts).set == expected)
        // The running serve registers watched accounts under its new key (not the one it started with).
        let watched = try await alliance.internalAPI(rotating, "POST", "/v1/watch",
                                                     body: #"{"items":[{"ref":"acct-7","kind":"phone","identifier":"\#(MembershipScene.phone(7))"}]}"#)
        #expect(watched.status == 200 && watched.body.contains(#""registered":1"#), "\(watched)")
        // Without the bearer token it is refused.
        let anonymous = try await alliance.curl(["--write-out", "%{http_code}", "-o", "/dev/null", "-X", "POST",
                                                 rotating.internalURL + "/v1/keys/rotate"])
        #expect(anonymous.stdout == "401", "\(anonymous)")
    }

    /// `transaction N ms` from `keys rotate`'s output.
    static func transactionMillis(_ output: String) -> Int? {
        guard let range = output.range(of: "transaction ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    /// Screens `node` in `loops` concurrent loops until `stop`; the requests of all loops, by start time.
    static func screenContinuously(_ client: HTTPClient, _ node: TestNode, expected: Set<String>?, stop: StopFlag, loops: Int) async -> [Request] {
        await withTaskGroup(of: [Request].self) { group in
            for _ in 0..<loops { group.addTask { await screenContinuously(client, node, expected: expected, stop: stop) } }
            var all: [Request] = []
            for await requests in group { all += requests }
            return all.sorted { $0.start < $1.start }
        }
    }

    /// Screens `node` back to back until `stop`; `expected` (when given) is the complete answer.
    static func screenContinuously(_ client: HTTPClient, _ node: TestNode, expected: Set<String>?, stop: StopFlag) async -> [Request] {
        var requests: [Request] = []
        let token = (try? node.internalToken()) ?? ""
        while !stop.isSet {
            let start = ContinuousClock.now
            let answer = await HTTPAnswer.fetch(client, .POST, node.internalURL + "/v1/screen", body: MembershipScene.screenBody(accounts),
                                                headers: [("Authorization", "Bearer \(token)")])
            let end = ContinuousClock.now
            var failure: String?
            var stale: [String] = []
            if answer.status != 200 {
                failure = answer.description
            } else if let decoded = try? JSONDecoder().decode(MembershipScene.Answer.self, from: Data(answer.body.utf8)) {
                stale = decoded.staleOrigins?.map(\.member) ?? []
                if let unreachable = decoded.unreachableOrigins, !unreachable.isEmpty {
                    failure = "unreachable origins \(unreachable.map(\.member))"
                } else if let expected, decoded.set != expected {
                    failure = "\(expected.subtracting(decoded.set).count) matches missing"
                }
            } else {
                failure = "the answer does not decode"
            }
            requests.append(Request(start: start, end: end, failure: failure, stale: stale))
        }
        return requests
    }

    /// The longest time during which requests failed: from the start of the first failing request of a
    /// run of consecutive failures to the end of its last (zero when none failed).
    static func longestFailureWindow(_ requests: [Request]) -> Duration {
        var longest = Duration.zero
        var runStart: ContinuousClock.Instant?
        for request in requests {
            if request.failure != nil {
                if runStart == nil { runStart = request.start }
                longest = max(longest, request.end - runStart!)
            } else {
                runStart = nil
            }
        }
        return longest
    }
}
