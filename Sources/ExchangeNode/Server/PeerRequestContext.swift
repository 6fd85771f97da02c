import Hummingbird
import NIOCore
import NIOSSL

/// The request context of the peer-facing listener: it keeps the channel so that the caller's
/// verified certificate can be read, and carries the resolved caller once authorised.
struct PeerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    var caller: Caller?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        caller = nil
    }

    /// Request bodies on the peer listener are small (appeals, masking batches, reports).
    var maxUploadSize: Int { 8 << 20 }
}

/// Who is calling, as established from the TLS certificate and the membership.
struct Caller: Sendable {
    let member: String
    let role: CallerRole
    /// The peers-file entry when the caller is a configured peer.
    let peer: PeerConfig?
}

/// The roles of the authority model (docs/authority.md).
enum CallerRole: String, Sendable, CaseIterable {
    case peer
    case coordinator
    case `internal`
    case `operator`
}
