import AlliancePKI
import Hummingbird
import NIOCore
import NIOSSL
import X509

/// Who may call a listener, as its authorisation middleware establishes it from the client certificate.
package protocol AllianceCaller: Sendable {
    /// The largest request body the listener reads for this kind of caller.
    static var maxUploadSize: Int { get }
}
