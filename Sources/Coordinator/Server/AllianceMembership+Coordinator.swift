import ExchangeProtocol
import ExchangeRuntime

extension AllianceMembership {
    /// The document `GET /v1/membership` answers, as the coordinator's home holds it now: epochs whose
    /// changeover deadline passed are retired first, so a retired epoch is never announced.
    init(coordinator: CoordinatorContext, now: Int64 = NodeClock.nowMillis()) throws(CoordinatorError) {
        try TokenKeyRetirement(coordinator: coordinator).run(now: now)
        let registry = try coordinator.registry()
        let ring = try coordinator.tokenKeys()
        let changeovers = try TokenChangeovers.load(from: coordinator.home)
        let current = ring.current?.epoch
        let epochs = ring.keys.map { key in
            Epoch(epoch: key.epoch, fingerprint: key.fingerprint, created: key.created,
                  changeoverDeadline: key.epoch < (current ?? 0) ? changeovers.deadline(of: key.epoch).map(ISO8601.format(millis:)) : nil)
        }
        var changeover: Changeover?
        let older = ring.keys.map(\.epoch).filter { $0 < (current ?? 0) }
        if let latest = changeovers.latest, latest.toEpoch == current, !older.isEmpty {
            changeover = Changeover(fromEpochs: older, toEpoch: latest.toEpoch, started: latest.started, deadline: latest.deadline,
                                    reason: latest.reason)
        }
        self.init(
            alliance: coordinator.config.alliance, coordinator: coordinator.member, scheme: coordinator.config.scheme.rawValue,
            members: registry.nodes.map { Member(member: $0.member, url: $0.url, lists: $0.lists.map(\.rawValue)) },
            tokenKeyEpochs: epochs, currentTokenKeyEpoch: current, changeover: changeover,
            expelledEntries: coordinator.config.expelledEntries,
            expelled: registry.expelled.map { Expelled(member: $0.member, removedAt: $0.removedAt, entries: $0.entries) },
            revocationsIssued: coordinator.revocations.current?.issued,
            revokedCertificates: coordinator.revocations.current?.serials.count ?? 0)
    }
}
