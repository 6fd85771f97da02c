import AlliancePKI
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `coordinator member remove` (docs/membership.md, 2.1), in one step and in this order, so that a
/// re-run after a crash completes it without doing anything twice: revoke the member's certificate in
/// the CA folder (the coordinator enforces and serves the re-signed list at once); for a node under the
/// keyed-hash scheme start a token-key changeover (unless the latest one was started for this member's
/// removal); then move it from `members` to `expelled` in the registry, with the policy for its entries.
package struct MemberExpulsion {
    let coordinator: CoordinatorContext

    package init(coordinator: CoordinatorContext) { self.coordinator = coordinator }

    package struct Outcome: Sendable {
        package let member: String
        package let role: MemberRole
        package let revocation: Revocation
        package let rotation: TokenKeyRotation.Outcome?
        /// The changeover a previous run of this removal started (nothing was rotated again).
        package let earlierEpoch: UInt32?
        package let entries: ExpelledEntries?
    }

    package func run(member: String, entries: ExpelledEntries?, deadline: Int64, caDirectory: String?,
             now: Int64 = NodeClock.nowMillis()) throws(CoordinatorError) -> Outcome {
        var registry = try coordinator.registry()
        let registered = registry.member(member)
        let previous = registry.expelled.first { $0.member == member }
        guard registered != nil || previous != nil else {
            throw CoordinatorError.invalidArgument("no member '\(member)' in the registry")
        }
        let role = registered?.role ?? .node
        guard let folder = caDirectory ?? coordinator.config.caDirectory else {
            throw CoordinatorError(.configuration, """
                removing a member revokes its certificate, which needs the CA folder: give --ca-dir CA \
                (or run the coordinator beside it, `coordinator init --ca-dir`)
                """)
        }
        let revocation: Revocation
        do {
            revocation = try AllianceDirectory(folder).revoke(member: try MemberID(member))
        } catch {
            throw CoordinatorError(.configuration, "cannot revoke the certificate of \(member)", underlying: error)
        }
        try coordinator.refreshRevocations()
        var rotation: TokenKeyRotation.Outcome?
        var earlierEpoch: UInt32?
        let policy = role == .node ? (entries ?? previous?.entries ?? coordinator.config.expelledEntries) : nil
        if role == .node, coordinator.config.scheme == .keyedHash {
            let latest = try TokenChangeovers.load(from: coordinator.home).latest
            if let latest, latest.reason == "member-removed", latest.member == member {
                earlierEpoch = latest.toEpoch
            } else {
                rotation = try TokenKeyRotation(coordinator: coordinator)
                    .rotate(deadline: deadline, reason: "member-removed", member: member, now: now)
            }
        }
        registry.remove(member)
        if let policy {
            registry.expel(ExpelledMember(member: member, removedAt: previous?.removedAt ?? ISO8601.format(millis: now),
                                          entries: policy, certificateSerial: revocation.serialHex,
                                          tokenKeyEpoch: rotation?.key.epoch ?? earlierEpoch))
        }
        try registry.save(to: coordinator.home)
        var detail: [String: AuditValue] = ["member": .member(member), "role": .code(role.rawValue)]
        if let policy { detail["entries"] = .code(policy.rawValue) }
        if let epoch = rotation?.key.epoch ?? earlierEpoch { detail["epoch"] = .count(Int(epoch)) }
        coordinator.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "member.remove", outcome: .ok,
                                            detail: detail))
        return Outcome(member: member, role: role, revocation: revocation, rotation: rotation, earlierEpoch: earlierEpoch,
                       entries: policy)
    }
}
