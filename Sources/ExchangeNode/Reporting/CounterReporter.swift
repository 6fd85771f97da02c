import AllianceHTTP
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The node side of statistics collection: signs each day's counters (`counters(day, key, value)`
/// in the node store) with the node key and sends them to the coordinator (`POST /v1/reports`).
///
/// A day is sent when its counters differ from what the coordinator last acknowledged for it (the
/// SHA-256 of the signed content is remembered in `node_state` as `report.sent.<day>`), so a node
/// that was offline catches up, and a day that gains counters later is re-sent and replaces the
/// earlier report. Counters outside the reporting vocabulary are left out (and counted), never sent.
package struct CounterReporter {
    let context: NodeContext
    /// The coordinator's base URL, `https://HOST:PORT`.
    let coordinatorURL: String
    let client: PeerClient

    package init(context: NodeContext, coordinatorURL: String, client: PeerClient) {
        self.context = context
        self.coordinatorURL = coordinatorURL
        self.client = client
    }

    package struct Outcome: Sendable {
        /// Days sent and stored by the coordinator, ascending.
        package var sent: [String] = []
        /// Days skipped because the coordinator already holds exactly these counters.
        package var unchanged = 0
        /// Counters left out because they are not in the reporting vocabulary.
        package var leftOut = 0
        /// Days the coordinator refused, with its reason.
        package var refused: [(day: String, reason: String)] = []
    }

    /// The node's coordinator URL: `coordinatorURL` in node.json, else the peers file with role coordinator.
    package static func coordinatorURL(of context: NodeContext) -> String? {
        context.config.coordinatorURL ?? context.peers.coordinator?.url
    }

    /// Records today's `entries.published` gauge, then sends every day not yet acknowledged (with
    /// `resend`, every day from `since` on). Stops at the first transport error.
    package func run(since: Day? = nil, resend: Bool = false, today: Day = NodeClock.today()) async throws(NodeError) -> Outcome {
        try recordPublishedEntries(day: today)
        var outcome = Outcome()
        let days = try context.store.read { db in try DailyCounters.days(db) }
            .compactMap { Day(parsing: $0) }
            .filter { since == nil || $0 >= since! }
        for day in days {
            let (report, leftOut) = try signedReport(for: day)
            outcome.leftOut += leftOut
            let digest = Self.digestValue(report.contentDigest)
            let stateKey = "report.sent.\(day)"
            if !resend, try context.store.read({ db in try NodeState.get(db, stateKey) }) == digest {
                outcome.unchanged += 1
                continue
            }
            let bytes: [UInt8]
            do {
                bytes = try report.jsonBytes()
            } catch {
                throw .configuration("cannot encode the report")
            }
            let (status, body) = try await client.call(.POST, coordinatorURL + "/v1/reports", body: bytes)
            if status == 200 {
                try context.store.write { db in try NodeState.set(db, stateKey, digest) }
                outcome.sent.append(day.description)
            } else if (400..<500).contains(status) && status != 429 {
                outcome.refused.append((day.description, "HTTP \(status): \(ErrorBody.message(in: body))"))
            } else {
                throw .peer(member: "coordinator", reason: "reports answered HTTP \(status): \(ErrorBody.message(in: body))")
            }
        }
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .statisticsReport,
                                        outcome: outcome.refused.isEmpty ? .ok : .refused,
                                        detail: ["sent": .count(outcome.sent.count), "unchanged": .count(outcome.unchanged),
                                                 "refused": .count(outcome.refused.count), "leftOut": .count(outcome.leftOut)]))
        return outcome
    }

    /// The day's report as it would be sent, and how many counters were left out of it.
    package func signedReport(for day: Day) throws(NodeError) -> (report: DailyReport, leftOut: Int) {
        let all = try context.store.read { db in try DailyCounters.read(day: day, db) }
        let kept = all.filter { ReportVocabulary.accepts($0.key) && (0...ReportVocabulary.maximumValue).contains($0.value) }
        do {
            let report = try DailyReport.signed(member: context.member, day: day.description, counters: kept,
                                                key: context.keys.signingKey)
            return (report, all.count - kept.count)
        } catch {
            throw .configuration("cannot sign the report")
        }
    }

    /// Sets `entries.published` for `day` to the number of the member's own active entries.
    func recordPublishedEntries(day: Day) throws(NodeError) {
        let member = context.member
        try context.store.write { db in
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE origin = ? AND status = 1",
                                         arguments: [member]) ?? 0
            try DailyCounters.set(day: day, key: CounterKey.entriesPublished.name, value: count, db)
        }
    }

    /// The first 8 bytes of a digest as the integer `node_state` keeps.
    static func digestValue(_ digest: [UInt8]) -> Int64 {
        digest.prefix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }
    }
}
