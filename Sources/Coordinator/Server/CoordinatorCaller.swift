import AllianceHTTP
import AlliancePKI
import Crypto
import ExchangeAudit

/// A registered member calling the coordinator, as established from its certificate.
struct CoordinatorCaller: AllianceCaller {
    let member: String
    /// `node` or `operator`, the same in the certificate and the registry.
    let role: MemberRole
    /// The certificate's serial (canonical hex).
    let serialHex: String
    /// The certificate's public key, which verifies the member's report signatures.
    let publicKey: P256.Signing.PublicKey?

    var auditRole: AuditRole { role == .operator ? .operator : .peer }

    /// Reports are small: a day's counters.
    static var maxUploadSize: Int { 256 << 10 }
}
