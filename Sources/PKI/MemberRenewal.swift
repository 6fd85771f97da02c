import ExchangeProtocol
import X509

/// What `certs renew` did: the member's new certificate (same key), and where the previous one went.
public struct MemberRenewal: Sendable {
    public let memberID: MemberID
    public let certificate: Certificate
    public let serialHex: String
    public let previousSerialHex: String
    /// `members/ID/cert.pem`, now the renewed certificate.
    public let certificatePath: String
    /// `members/ID/previous/cert-SERIAL.pem`, the certificate it replaces.
    public let previousPath: String
}
