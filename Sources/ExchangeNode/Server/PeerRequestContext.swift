import AllianceHTTP

/// The request context of the peer-facing listener: the alliance mTLS context, carrying the caller
/// ``PeerAuthorization`` resolved.
package typealias PeerRequestContext = AllianceRequestContext<Caller>
