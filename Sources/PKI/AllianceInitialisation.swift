import ExchangeCrypto
import ExchangeProtocol
import Foundation
import X509

/// What `certs init` created (nothing secret).
public struct AllianceInitialisation: Sendable {
    public let directory: AllianceDirectory
    public let caSubject: String
    public let caSerialHex: String
    public let caFingerprintSHA256: String
    public let caNotValidAfter: Date
    public let tokenKeyEpoch: UInt32
    /// First 8 bytes of SHA-256 of the token key, hex: safe to print and compare between members.
    public let tokenKeyFingerprint: String
}
