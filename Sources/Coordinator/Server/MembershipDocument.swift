import ExchangeProtocol
import Hummingbird

/// `GET /v1/membership`'s answer: the ``ExchangeProtocol/AllianceMembership`` document (members, token-key
/// epochs with their changeover deadlines, expelled members with the policy for their entries, the
/// revocation list's date), built from the home as it is now.
struct MembershipDocument: ResponseEncodable, Sendable {
    let membership: AllianceMembership

    init(coordinator: CoordinatorContext) throws(CoordinatorError) {
        membership = try AllianceMembership(coordinator: coordinator)
    }

    func encode(to encoder: any Encoder) throws { try membership.encode(to: encoder) }
}
