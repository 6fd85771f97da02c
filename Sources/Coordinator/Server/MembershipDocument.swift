import Foundation
import Hummingbird

/// `GET /v1/membership`: the alliance's nodes (id, endpoint, allowed lists), the token-key epochs
/// (fingerprints only; the key itself is `GET /v1/token-key`) and the revocation list's date.
struct MembershipDocument: ResponseEncodable, Sendable {
    struct Member: Encodable, Sendable {
        let member: String
        let url: String?
        let lists: [String]
    }

    struct Epoch: Encodable, Sendable {
        let epoch: UInt32
        let fingerprint: String
        let created: String
    }

    let alliance: String
    let coordinator: String
    let members: [Member]
    let tokenKeyEpochs: [Epoch]
    let currentTokenKeyEpoch: UInt32?
    let revocationsIssued: String?
    let revokedCertificates: Int

    enum CodingKeys: String, CodingKey {
        case alliance, coordinator, members
        case tokenKeyEpochs = "token_key_epochs"
        case currentTokenKeyEpoch = "current_token_key_epoch"
        case revocationsIssued = "revocations_issued"
        case revokedCertificates = "revoked_certificates"
    }

    init(coordinator: CoordinatorContext) throws(CoordinatorError) {
        let registry = try coordinator.registry()
        let ring = try coordinator.tokenKeys()
        alliance = coordinator.config.alliance
        self.coordinator = coordinator.member
        members = registry.nodes.map { Member(member: $0.member, url: $0.url, lists: $0.lists.map(\.rawValue)) }
        tokenKeyEpochs = ring.keys.map { Epoch(epoch: $0.epoch, fingerprint: $0.fingerprint, created: $0.created) }
        currentTokenKeyEpoch = ring.current?.epoch
        revocationsIssued = coordinator.revocations.current?.issued
        revokedCertificates = coordinator.revocations.current?.serials.count ?? 0
    }
}
