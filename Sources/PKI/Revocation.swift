import ExchangeCrypto
import ExchangeProtocol
import Foundation
import X509

/// What `certs revoke` did.
public struct Revocation: Sendable {
    public let serialHex: String
    /// The serial was already on the list (the list was re-signed anyway).
    public let alreadyRevoked: Bool
    public let list: RevocationList
    public let path: String
}
