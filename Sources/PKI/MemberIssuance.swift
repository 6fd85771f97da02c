import ExchangeCrypto
import ExchangeProtocol
import Foundation
import X509

/// What `certs issue` wrote (nothing secret).
public struct MemberIssuance: Sendable {
    public let directory: AllianceDirectory
    public let request: MemberCertificateRequest
    public let issued: IssuedMemberCertificate
    /// The serial of the certificate this one replaced (`--force`), if any.
    public let replacedSerialHex: String?

    public var memberID: MemberID { request.memberID }
    public var certificatePath: String { directory.memberCertificatePath(memberID) }
    public var keyPath: String { directory.memberKeyPath(memberID) }
    public var caPath: String { directory.memberCAPath(memberID) }
}
