import AllianceHTTP
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import NIOHTTP1

/// The filer's side: files an appeal at the entry's origin over mTLS and keeps an `outgoing` copy;
/// later polls the origin (`GET /v1/appeals/{id}`) to learn the decision, which it records and
/// tells the member's systems through the outbox (`appeal-decided`).
///
/// Only a member holding the entry with at least one of its own accounts matched may appeal, and
/// the text is checked here before it leaves (``FreeTextGuard``) as it is again at the origin.
package struct AppealFiler {
    let context: NodeContext
    let client: PeerClient

    package init(context: NodeContext, client: PeerClient) {
        self.context = context
        self.client = client
    }

    package func file(entry origin: String, _ entryID: String, reason: String, appealID: String = AppealID.make(),
              now: Int64 = NodeClock.nowMillis()) async throws(AppealError) -> Appeal {
        guard origin != context.member else {
            throw .notAllowed("\(origin):\(entryID) is this member's own entry: revoke it instead of appealing")
        }
        guard let peer = context.peers.peers[origin], peer.role == .node else {
            throw .notAllowed("\(origin) is not a configured peer node of this member (exchange-node peers add)")
        }
        let submission = AppealSubmission(appealID: appealID, entryID: entryID, reason: reason, filedAt: ISO8601.format(millis: now))
        let valid = try AppealValidation.submission(submission)
        try checkMatched(origin: origin, entryID: entryID)

        let body: Data
        do {
            body = try JSONEncoder().encode(submission)
        } catch {
            throw .malformed("cannot encode the appeal")
        }
        let state = try await call(peer, .POST, "/v1/appeals", body: Array(body), expecting: [200, 201])
        guard state.appealID == valid.appealID, state.entryID == entryID, state.origin == origin else {
            throw .node(.peer(member: origin, reason: "the appeal answer names another appeal or entry"))
        }
        let appeal = Appeal(id: valid.appealID, direction: .outgoing, filer: context.member, origin: origin, entryID: entryID,
                            reason: valid.reason, filedAt: valid.filedAt, receivedAt: ISO8601.parse(state.receivedAt) ?? now,
                            deadline: state.deadline, status: state.status, decidedAt: nil, decision: nil)
        try AppealTransaction.write(context.store) { db in
            if try AppealTable.find(appeal.id, direction: .outgoing, db) == nil { try AppealTable.insert(appeal, db) }
        }
        context.audit.append(.appealFiled(appeal: appeal.id, entry: entryID, actor: AuditEvent.localActor, role: .operator))
        return appeal
    }

    /// One outgoing appeal's refresh: its state now, or why the origin could not be asked.
    package struct Refresh: Sendable {
        package let appeal: Appeal
        let changed: Bool
        package let error: String?
    }

    /// Polls the origin of every open outgoing appeal and records decisions.
    package func refresh(now: Int64 = NodeClock.nowMillis()) async throws(AppealError) -> [Refresh] {
        let open = try AppealTransaction.read(context.store) { db in try AppealTable.list(direction: .outgoing, status: .open, db) }
        var results: [Refresh] = []
        for appeal in open {
            guard let peer = context.peers.peers[appeal.origin] else {
                results.append(Refresh(appeal: appeal, changed: false, error: "origin \(appeal.origin) is no longer a configured peer"))
                continue
            }
            do {
                let state = try await call(peer, .GET, "/v1/appeals/\(appeal.id)", body: nil, expecting: [200])
                results.append(try record(state, for: appeal, now: now))
            } catch {
                results.append(Refresh(appeal: appeal, changed: false, error: error.description))
            }
        }
        return results
    }

    private func record(_ state: AppealState, for appeal: Appeal, now: Int64) throws(AppealError) -> Refresh {
        guard state.appealID == appeal.id, state.entryID == appeal.entryID else {
            throw .node(.peer(member: appeal.origin, reason: "the appeal answer names another appeal or entry"))
        }
        var updated = appeal
        updated.deadline = state.deadline
        guard state.status != .open else {
            try AppealTransaction.write(context.store) { db in try AppealTable.markChecked(appeal.id, at: now, db) }
            return Refresh(appeal: updated, changed: false, error: nil)
        }
        // The origin checked its text; check again rather than store an identifier a faulty origin sent.
        var decision = state.decision
        if let text = decision, (try? FreeTextGuard.check(text, field: "decision")) == nil {
            decision = "(withheld: the origin's text contained an identifier or was not acceptable)"
        }
        updated.status = state.status
        updated.decidedAt = state.decidedAt.flatMap { ISO8601.parse($0) } ?? now
        updated.decision = decision
        let final = updated
        try AppealTransaction.write(context.store) { db in
            try AppealTable.decide(final.id, direction: .outgoing, status: final.status, at: final.decidedAt, decision: final.decision, db)
            try AppealTable.markChecked(final.id, at: now, db)
            try Outbox.append(type: "appeal-decided", body: [
                "type": .string("appeal-decided"),
                "appeal_id": .string(final.id),
                "origin": .string(final.origin),
                "entry_id": .string(final.entryID),
                "status": .string(final.status.rawValue),
                "decision": final.decision.map { .string($0) } ?? .null,
                "at": .string(ISO8601.format(millis: final.decidedAt ?? now)),
            ], at: now, db)
        }
        context.audit.append(AuditEvent(actor: appeal.origin, role: .peer, action: "appeal.outcome", outcome: .ok,
                                        detail: ["appeal": .id(final.id), "entry": .id(final.entryID),
                                                 "decision": .code(final.status.rawValue)]))
        return Refresh(appeal: final, changed: true, error: nil)
    }

    /// The entry must be held here, active, and have matched at least one of this member's accounts.
    private func checkMatched(origin: String, entryID: String) throws(AppealError) {
        let (status, matches) = try AppealTransaction.read(context.store) { db -> (Int64?, Int) in
            let status = try Int64.fetchOne(db, sql: "SELECT status FROM entries WHERE origin = ? AND entry_id = ?",
                                            arguments: [origin, entryID])
            let matches = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM matches WHERE origin = ? AND entry_id = ?",
                                           arguments: [origin, entryID]) ?? 0
            return (status, matches)
        }
        guard let status else { throw .unknownEntry("\(origin):\(entryID) (not held here; sync first)") }
        guard status == Int64(EntryStatus.active.code) else { throw .entryNotActive("\(origin):\(entryID)") }
        guard matches > 0 else {
            throw .notAllowed("none of this member's accounts matched \(origin):\(entryID); only a member whose account matched may appeal")
        }
    }

    private func call(_ peer: PeerConfig, _ method: HTTPMethod, _ path: String, body: [UInt8]?,
                      expecting: Set<Int>) async throws(AppealError) -> AppealState {
        let (status, answer): (Int, [UInt8])
        do {
            (status, answer) = try await client.call(method, peer.url + path, body: body)
        } catch {
            throw .node(error)
        }
        guard expecting.contains(status) else {
            throw .node(.peer(member: peer.member, reason: "\(method.rawValue) \(path.hasPrefix("/v1/appeals/") ? "/v1/appeals/{id}" : path) answered HTTP \(status): \(ErrorBody.message(in: answer))"))
        }
        do {
            return try JSONDecoder().decode(AppealState.self, from: Data(answer))
        } catch {
            throw .node(.peer(member: peer.member, reason: "the appeal answer is not valid"))
        }
    }
}
