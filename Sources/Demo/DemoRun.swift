import ExchangeCrypto
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Hummingbird
import Logging

/// The demo's steps. Everything is real: certificates, TLS on loopback, SQLite files, signatures.
package struct DemoRun {
    let root: URL
    let day: Day
    let scheme: TokenSchemeID
    private let started = Date()

    package init(root: URL, day: Day, scheme: TokenSchemeID = .keyedHash) {
        self.root = root
        self.day = day
        self.scheme = scheme
    }

    func say(_ text: String) {
        print(String(format: "[%6.2fs] ", Date().timeIntervalSince(started)) + text)
    }

    package func run() async throws {
        say("alliance folder: \(root.path)")
        let alliance = try LoopbackAlliance.create(root: root, members: DemoData.members, alliance: "Demo Anti-Fraud", scheme: scheme)
        let ca = alliance.ca
        let contexts = alliance.contexts
        let ports = alliance.ports
        say("coordinator created the alliance CA and the keyed-hash token key (epoch 1)")
        say("issued member certificates (P-256, serverAuth+clientAuth, urn:alliance:member:ID) and set up 3 nodes")
        let coordinator = try DemoCoordinator.create(root: root, ca: ca, nodePorts: ports)
        say("coordinator home set up beside the CA (its own certificate, role coordinator): 3 nodes and 1 operator registered")

        for member in DemoData.members {
            let file = root.appendingPathComponent("\(member)-entries.csv")
            try DemoData.entries(for: member).write(to: file, atomically: true, encoding: .utf8)
            let outcome = try EntryImporter(context: contexts[member]!).run(path: file.path)
            say("\(member) imported \(outcome.rows) rows → \(outcome.entries) entries; identifiers tokenised with \(scheme == .keyedHash ? "HMAC-SHA256 under the alliance key" : "X25519 under its own pairwise key"), events signed")
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            var runtimes: [String: NodeRuntime] = [:]
            for member in DemoData.members {
                let runtime = try NodeRuntime(context: contexts[member]!)
                runtimes[member] = runtime
                let app = try NodeServer.peerApplication(runtime, logLevel: .critical)
                group.addTask { try await app.run() }
            }
            let coordinatorApp = try coordinator.application()
            group.addTask { try await coordinatorApp.run() }
            try await FreePort.waitUntilListening(Array(ports.values) + [coordinator.port])
            say("3 peer listeners up on loopback (mutual TLS, client certificate required)")

            try await syncAll(runtimes, label: "first sync round")
            let screener = DemoScreening(context: contexts["gamma-pay"]!, root: root, day: day)
            let before = try await screener.run(say: say)
            try await coordinator.collect(runtimes, say: say)

            try EntryRevoker(context: contexts["alpha-mall"]!).revoke(entryID: "AM-001", reason: .erroneous)
            say("alpha-mall revoked AM-001 (erroneous listing)")
            try await syncAll(runtimes, label: "second sync round")
            let after = try await screener.run(say: say)
            let retractions = try contexts["gamma-pay"]!.store.read { db in
                try Outbox.read(after: 0, limit: 1000, db).filter { $0.json.contains("\"type\":\"retraction\"") }
            }
            say("gamma-pay's outbox holds \(retractions.count) retraction(s): the member lifts the measures and restores the subject's reputation")
            for record in retractions { print("           \(record.json)") }
            say("matches before revocation: \(before), after: \(after)")

            // Continuous screening: a member watches its accounts once; listings and withdrawals come to it.
            let watch = DemoWatch(contexts: contexts, runtimes: runtimes, root: root)
            var position = try await watch.register(say: say)
            try watch.list(say: say)
            try await syncAll(runtimes, label: "third sync round")
            position = try watch.show(after: position, say: say, what: "match")
            _ = try EntryRevoker(context: contexts[DemoWatch.lister]!).revoke(entryID: "AM-006", reason: .rectified)
            say("\(DemoWatch.lister) revokes AM-006 (the subject rectified)")
            try await syncAll(runtimes, label: "fourth sync round")
            _ = try watch.show(after: position, say: say, what: "retraction")
            for member in DemoData.members {
                let status = try NodeStatus.collect(contexts[member]!)
                let active = status.counts.filter { $0.status == "active" }.reduce(0) { $0 + $1.entries }
                say("\(member): \(status.entries) entries (\(active) active) from \(Set(status.counts.map(\.origin)).count) origins, store \(status.storeBytes / 1024) KiB")
            }
            try await coordinator.collect(runtimes, say: say)
            try await coordinator.showRefusals(contexts["gamma-pay"]!, say: say)
            try await coordinator.publish(runtimes, say: say)
            group.cancelAll()
        }
        say("done. Only tokens crossed the network; no store or log holds a raw identifier.")
    }

    private func syncAll(_ runtimes: [String: NodeRuntime], label: String) async throws {
        let start = Date()
        var applied = 0
        for member in DemoData.members {
            let runtime = runtimes[member]!
            let client = runtime.makePeerClient()
            let results = await runtime.makeSyncRound(client: client).run()
            await client.shutdown()
            for result in results {
                if let error = result.error { throw NodeError.peer(member: result.member, reason: error) }
                applied += result.applied
            }
        }
        say("\(label): \(applied) events pulled, verified (CA chain, batch signatures, digests) and applied in \(String(format: "%.0f", Date().timeIntervalSince(start) * 1000)) ms")
    }
}
