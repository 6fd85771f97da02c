import ExchangeCrypto
import ExchangeProtocol
import Foundation
import X509

/// A member certificate found in the directory.
public struct MemberRecord: Sendable {
    public let identity: PeerIdentity
    public let certificate: Certificate
    public let certificatePath: String
}
