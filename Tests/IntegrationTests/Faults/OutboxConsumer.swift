import AllianceTestSupport
import Foundation
import Synchronization

/// The member's own system in the outbox phase of the kill campaign: it screens accounts through
/// `POST /v1/screen` (re-sending what was not answered, and re-screening answered batches to keep the node
/// busy) and reads `GET /v1/outbox?after=` from its last acknowledged position, acknowledging as it goes.
final class OutboxConsumer: Sendable {
    static let name = "campaign"

    private struct State {
        var pending: Set<Int>
        var next = 0
        var stopped = false
        /// Refs the node reported as matches in a 200 answer (so they must be recorded).
        var answered: Set<String> = []
        /// Outbox sequence numbers received, with the body first seen for each.
        var bodies: [Int64: String] = [:]
        var position: Int64 = 0
        var changedBodies = 0
        var keepBusy = false
    }

    private let alliance: TestAlliance
    private let node: TestNode
    private let requests: [[UInt8]]
    private let state: Mutex<State>

    init(alliance: TestAlliance, node: TestNode, requests: [[(ref: String, phone: String)]]) {
        self.alliance = alliance
        self.node = node
        self.requests = requests.map { batch in
            Array(("{\"items\":[" + batch.map { #"{"ref":"\#($0.ref)","kind":"phone","identifier":"\#($0.phone)"}"# }
                .joined(separator: ",") + "]}").utf8)
        }
        state = Mutex(State(pending: Set(requests.indices)))
    }

    var pending: Int { state.withLock { $0.pending.count } }
    var answered: Set<String> { state.withLock { $0.answered } }
    var delivered: Set<Int64> { state.withLock { Set($0.bodies.keys) } }
    /// Outbox records whose body differed between two reads (must stay 0).
    var changedBodies: Int { state.withLock { $0.changedBodies } }

    func stop() { state.withLock { $0.stopped = true } }
    func reset() { state.withLock { $0.stopped = false } }

    /// Works until `stop()` (returns true if a call failed, i.e. the node went away mid-work), or — when every
    /// request has been answered and the outbox is drained, unless `keepBusy(true)` — returns false.
    func run() async -> Bool {
        var sinceDrain = 0
        while true {
            let (stopped, first, busy) = state.withLock { ($0.stopped, $0.pending.min(), $0.keepBusy) }
            if stopped { return false }
            let index: Int
            if let first {
                index = first
            } else {
                guard await drain() else { return true }
                guard busy else { return false }
                // Re-screening an answered batch is idempotent; it keeps the node working when the kill lands.
                index = state.withLock { state in
                    defer { state.next = (state.next + 1) % max(1, requests.count) }
                    return state.next
                }
            }
            guard let reply = try? await post(requests[index]), reply.status == 200 else { return true }
            let refs = Self.matchRefs(in: reply.body)
            state.withLock { state in
                state.pending.remove(index)
                state.answered.formUnion(refs)
            }
            sinceDrain += 1
            if sinceDrain >= 5 {
                sinceDrain = 0
                guard await drain() else { return true }
            }
        }
    }

    /// In kill rounds: once everything is answered, keep re-screening so the kills land on work.
    func keepBusy(_ flag: Bool) { state.withLock { $0.keepBusy = flag } }

    /// Reads the outbox after the acknowledged position until empty, acknowledging each page.
    private func drain() async -> Bool {
        while true {
            let position = state.withLock { $0.position }
            guard let token = try? node.internalToken(),
                  let result = try? await alliance.curl(["--write-out", "\n%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                          node.internalURL + "/v1/outbox?after=\(position)&limit=500"]),
                  result.succeeded, result.stdout.hasSuffix("\n200")
            else { return false }
            let lines = result.stdout.dropLast(4).split(separator: "\n")
            if lines.isEmpty { return true }
            var highest = position
            state.withLock { state in
                for line in lines {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                          let seq = (object["seq"] as? NSNumber)?.int64Value else { continue }
                    let body = String(line)
                    if let seen = state.bodies[seq], seen != body { state.changedBodies += 1 }
                    state.bodies[seq] = body
                    highest = max(highest, seq)
                }
            }
            guard let ack = try? await alliance.curl(["--write-out", "%{http_code}", "-o", "/dev/null", "-X", "POST",
                                                      "-H", "Authorization: Bearer \(token)",
                                                      node.internalURL + "/v1/outbox/ack?through=\(highest)&consumer=\(Self.name)"]),
                  ack.stdout == "200"
            else { return false }
            state.withLock { $0.position = highest }
        }
    }

    private func post(_ body: [UInt8]) async throws -> (status: Int, body: String) {
        let file = try alliance.write(body, to: "consumer-\(UUID().uuidString.prefix(8)).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await alliance.curl(["--write-out", "\n%{http_code}", "-H", "Authorization: Bearer \(try node.internalToken())",
                                              "-H", "Content-Type: application/json", "--data-binary", "@\(file.path)",
                                              node.internalURL + "/v1/screen"])
        guard result.succeeded, let newline = result.stdout.lastIndex(of: "\n"),
              let status = Int(result.stdout[result.stdout.index(after: newline)...])
        else { throw HarnessError("screen request failed: \(result.exitCode)") }
        return (status, String(result.stdout[..<newline]))
    }

    static func matchRefs(in body: String) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let matches = object["matches"] as? [[String: Any]] else { return [] }
        return Set(matches.compactMap { $0["ref"] as? String })
    }
}
