import AlliancePKI
import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// The start of every sync round of `serve`, and `keys refresh` (docs/membership.md, 1.2 and 2.2):
/// fetches the coordinator's membership document and revocation list and acts on them — the newer
/// revocation list is enforced at once, newly expelled members are applied (one transaction each) and
/// left out of the peers, re-admitted ones are let back in, the changeover deadlines are recorded,
/// and under the keyed-hash scheme the node moves to the alliance's current epoch.
package struct MembershipRefresh {
    let context: NodeContext
    let coordinator: CoordinatorLink
    /// The running listener's revocation list, if any.
    var revocations: LiveRevocationList?
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }

    package struct Outcome: Sendable {
        package var membership: AllianceMembership
        /// Revoked serials in the newly installed list; nil when ours was current.
        package var revocationsInstalled: Int?
        package var expelled: [ExpelledMembers.Row] = []
        package var readmitted: [String] = []
        package var changeover: TokenEpochChangeover.Outcome?
        /// Why this node could not move to the alliance's epoch (it keeps working under its own).
        package var changeoverRefused: String?
    }

    func run() async throws(NodeError) -> Outcome {
        let membership = try await coordinator.membership()
        try MembershipFile.save(membership, to: context.home)
        var outcome = Outcome(membership: membership)
        outcome.revocationsInstalled = try await RevocationListPull(context: context, coordinatorURL: coordinator.url,
                                                                    client: coordinator.client, live: revocations).run()
        try applyExpulsions(membership, into: &outcome)
        try noteDeadlines(membership)
        if context.config.scheme == .keyedHash, let current = membership.currentTokenKeyEpoch {
            try await move(to: current, membership: membership, into: &outcome)
        }
        return outcome
    }

    private func applyExpulsions(_ membership: AllianceMembership, into outcome: inout Outcome) throws(NodeError) {
        let now = clock()
        let today = Day.utc(unixSeconds: now / 1000)
        let member = context.member
        let listed = Set(membership.expelled.map(\.member))
        let (applied, readmitted) = try context.store.write { db -> ([ExpelledMembers.Row], [String]) in
            var applied: [ExpelledMembers.Row] = []
            for expulsion in membership.expelled where expulsion.member != member {
                if let row = try ExpelledMembers.apply(expulsion, at: now, day: today, db) { applied.append(row) }
            }
            let readmitted = try ExpelledMembers.members(db).subtracting(listed).sorted()
            for other in readmitted { try ExpelledMembers.readmit(other, db) }
            return (applied, readmitted)
        }
        if membership.expelled.contains(where: { $0.member == member }) {
            context.logger.critical("the coordinator lists this member as expelled: peers refuse it from now on")
        }
        // The sync loops stop exchanging with the expelled members at once, and their records of a pull
        // that succeeded are either before the expulsion's record or refused (LivePeerDirectory).
        let expelled = try context.store.read { db in try ExpelledMembers.members(db) }
        context.livePeers.setExpelled(expelled) {
            for row in applied {
                context.audit.append(AuditEvent(
                    actor: AuditEvent.localActor, role: .local, action: "member.expelled", outcome: .ok,
                    detail: ["member": .member(row.member), "entries": .code(row.entries.rawValue),
                             "withdrawn": .count(row.withdrawn), "retractions": .count(row.retractions)]))
            }
        }
        for row in applied {
            context.logger.notice("member expelled by the coordinator: no longer exchanged with", metadata: [
                "member": "\(row.member)", "entries": "\(row.entries.rawValue)", "withdrawn": "\(row.withdrawn)",
                "retractions": "\(row.retractions)"])
        }
        for other in readmitted {
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "member.readmitted",
                                            outcome: .ok, detail: ["member": .member(other)]))
        }
        // Withdrawn entries are zeroed in the database file; their older page images leave the WAL too.
        if applied.contains(where: { $0.withdrawn > 0 }) { _ = TokenEpochRetirement.truncateWAL(context.store, attempts: 5) }
        outcome.expelled = applied
        outcome.readmitted = readmitted
    }

    /// Records the deadlines the coordinator published. An epoch below the current one that the document
    /// no longer lists was retired by the coordinator: its deadline has passed, whatever was noted before.
    private func noteDeadlines(_ membership: AllianceMembership) throws(NodeError) {
        let now = clock()
        try context.store.write { db in
            for epoch in membership.tokenKeyEpochs {
                try TokenEpochs.noteDeadline(db, epoch: epoch.epoch, fingerprint: epoch.fingerprint,
                                             deadline: epoch.changeoverDeadline.flatMap { ISO8601.parse($0) })
            }
            guard let current = membership.currentTokenKeyEpoch else { return }
            let listed = Set(membership.tokenKeyEpochs.map(\.epoch))
            let known = try TokenEpochs.all(db)
            let used = try TokenEpochs.originEpochs(db, active: false).map(\.epoch)
            for epoch in Set(known.map(\.epoch) + used) where epoch < current && !listed.contains(epoch) {
                let noted = known.first { $0.epoch == epoch }?.changeoverDeadline
                if noted == nil || noted! > now {
                    try TokenEpochs.noteDeadline(db, epoch: epoch, fingerprint: nil, deadline: now)
                }
            }
        }
    }

    /// Moves this node's own entries to the alliance's current epoch when it is above the own one.
    private func move(to current: UInt32, membership: AllianceMembership, into outcome: inout Outcome) async throws(NodeError) {
        let own = try NodeKeys.loadTokenKey(context.home.tokenKeyFile).epoch
        guard current > own else { return }
        let key: AllianceTokenKey
        let local = context.home.tokenKeyEpochFile(current)
        if let held = try? NodeKeys.loadTokenKey(local), held.epoch == current,
           held.fingerprint == membership.epoch(current)?.fingerprint ?? held.fingerprint {
            key = held
        } else {
            key = try await coordinator.tokenKey(epoch: current, expectedFingerprint: membership.epoch(current)?.fingerprint)
        }
        do {
            outcome.changeover = try TokenEpochChangeover(context: context, target: key, clock: clock).run()
        } catch {
            guard error.code == .configuration else { throw error }
            let why = error.message
            outcome.changeoverRefused = why
            if context.refusalNoted(epoch: current) {
                context.logger.error("cannot move to the alliance's token key epoch; peers will treat this node as stale after the deadline",
                                     metadata: ["epoch": "\(current)", "reason": "\(why)"])
            }
        }
    }
}
