import Crypto
import Hummingbird
import NIOCore

/// The request context of the coordinator's mTLS listener: the channel (to read the verified
/// client certificate) and, once authorised, who is calling.
struct CoordinatorRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var caller: CoordinatorCaller?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        caller = nil
    }

    /// Reports are small: a day's counters.
    var maxUploadSize: Int { 256 << 10 }
}

/// A registered member calling the coordinator, as established from its certificate.
struct CoordinatorCaller: Sendable {
    let member: String
    /// `node` or `operator`, the same in the certificate and the registry.
    let role: MemberRole
    /// The certificate's serial (canonical hex).
    let serialHex: String
    /// The certificate's public key, which verifies the member's report signatures.
    let publicKey: P256.Signing.PublicKey?

    var auditRole: AuditRole { role == .operator ? .operator : .peer }
}
