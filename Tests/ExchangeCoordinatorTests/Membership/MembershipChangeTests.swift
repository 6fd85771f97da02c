import AlliancePKI
import AllianceTestSupport
import CoordinatorTestSupport
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Testing

@testable import ExchangeCoordinator

/// The coordinator's side of membership changes (docs/membership.md, 1.1 and 2.1), on its real mTLS
/// listener beside a real CA folder.
@Suite("Coordinator: token-key changeovers and member removal", .serialized)
struct MembershipChangeTests {
    static func membership(_ alliance: TestAlliance, as member: String = "beta") async throws -> AllianceMembership {
        let answer = try await alliance.call(member, .GET, "/v1/membership")
        #expect(answer.status == 200, "\(answer)")
        return try JSONDecoder().decode(AllianceMembership.self, from: Data(answer.body.utf8))
    }

    @Test("a changeover deadline is now, a duration or a UTC time; anything else is refused")
    func deadlinesParse() {
        let now: Int64 = 1_785_000_000_000
        #expect(ChangeoverDeadline.parse("now", now: now) == now)
        #expect(ChangeoverDeadline.parse("90s", now: now) == now + 90_000)
        #expect(ChangeoverDeadline.parse("30m", now: now) == now + 1_800_000)
        #expect(ChangeoverDeadline.parse("12h", now: now) == now + 43_200_000)
        #expect(ChangeoverDeadline.parse("7d", now: now) == now + 604_800_000)
        #expect(ChangeoverDeadline.parse("2026-08-08", now: now) == ISO8601.parse("2026-08-08T00:00:00Z"))
        #expect(ChangeoverDeadline.parse("2026-08-08T09:00:00Z", now: now) == ISO8601.parse("2026-08-08T09:00:00Z"))
        for bad in ["", "soon", "7w", "-1d", "2026-13-01"] { #expect(ChangeoverDeadline.parse(bad, now: now) == nil, "\(bad)") }
    }

    @Test("a rotation announces the old epoch's deadline; once it passes the old key is deleted and no longer served")
    func aRotationAnnouncesItsDeadlineAndRetiresTheOldKeyAfterIt() async throws {
        let alliance = try TestAlliance("coordinator-rotation")
        defer { alliance.shutdown() }
        let coordinator = try alliance.openCoordinator()
        try await alliance.startCoordinator()
        let deadline = NodeClock.nowMillis() + 3_600_000
        let rotation = try TokenKeyRotation(coordinator: coordinator).rotate(deadline: deadline, reason: "rotate")
        #expect(rotation.key.epoch == 2 && rotation.caFolderUpdated)
        #expect(try TokenKeyFile.read(URL(fileURLWithPath: alliance.ca.tokenKeyPath)) == rotation.key)

        let during = try await Self.membership(alliance)
        #expect(during.currentTokenKeyEpoch == 2 && during.tokenKeyEpochs.map(\.epoch) == [1, 2])
        #expect(during.epoch(1)?.changeoverDeadline == ISO8601.format(millis: deadline) && during.epoch(2)?.changeoverDeadline == nil)
        #expect(during.changeover == .init(fromEpochs: [1], toEpoch: 2, started: during.changeover?.started ?? "", deadline: ISO8601.format(millis: deadline),
                                           reason: "rotate"))
        #expect(try await alliance.call("alpha", .GET, "/v1/token-key?epoch=1").status == 200)

        let retired = try TokenKeyRotation(coordinator: coordinator).moveDeadline(to: NodeClock.nowMillis())
        #expect(retired == [1])
        #expect(!FileManager.default.fileExists(atPath: coordinator.home.tokenKeyFile(epoch: 1).path))
        #expect(try await alliance.call("alpha", .GET, "/v1/token-key?epoch=1").status == 404)
        let after = try await Self.membership(alliance)
        #expect(after.tokenKeyEpochs.map(\.epoch) == [2] && after.changeover == nil)
        #expect(try alliance.coordinatorAuditText().contains("token-key.retire"))
    }

    @Test("removing a member revokes its certificate, starts a changeover and lists it as expelled with its policy, once")
    func removingAMemberRevokesRotatesAndPublishesInOneStep() async throws {
        let alliance = try TestAlliance("coordinator-remove")
        defer { alliance.shutdown() }
        let coordinator = try alliance.openCoordinator()
        try await alliance.startCoordinator()
        let deadline = NodeClock.nowMillis() + 3_600_000
        let outcome = try MemberExpulsion(coordinator: coordinator).run(member: "alpha", entries: .withdraw, deadline: deadline,
                                                                         caDirectory: nil)
        #expect(!outcome.revocation.alreadyRevoked && outcome.rotation?.key.epoch == 2 && outcome.entries == .withdraw)
        let alphaSerial = CertificateSerial.hex(of: try PEMFiles.readCertificate(path: alliance.ca.memberCertificatePath(try MemberID("alpha"))).serialNumber)
        #expect(try alliance.ca.loadRevocationList().contains(serialHex: alphaSerial))

        let membership = try await Self.membership(alliance)
        #expect(!membership.members.contains { $0.member == "alpha" })
        #expect(membership.expelled.map(\.member) == ["alpha"] && membership.expulsion(of: "alpha")?.entries == .withdraw)
        #expect(membership.expelledEntries == .keep && membership.scheme == "keyed-hash")
        #expect(membership.currentTokenKeyEpoch == 2 && membership.changeover?.reason == "member-removed")
        // The removed member is refused (its certificate fails the handshake, or it is not a member).
        let refused = try? await alliance.call("alpha", .GET, "/v1/membership")
        #expect(refused == nil || refused?.status == 403)

        // A re-run (after a crash, say) completes nothing twice: no second changeover, the same record.
        let again = try MemberExpulsion(coordinator: coordinator).run(member: "alpha", entries: nil, deadline: deadline, caDirectory: nil)
        #expect(again.revocation.alreadyRevoked && again.rotation == nil && again.earlierEpoch == 2 && again.entries == .withdraw)
        #expect(try coordinator.tokenKeys().keys.map(\.epoch) == [1, 2])
        #expect(try coordinator.registry().expelled.map(\.member) == ["alpha"])
        // Adding it again re-admits it.
        var registry = try coordinator.registry()
        registry.upsert(try MembershipRegistry.validated(member: "alpha", role: .node, url: "https://127.0.0.1:7501", lists: [.black]))
        #expect(registry.expelled.isEmpty)
    }
}
