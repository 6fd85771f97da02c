import AllianceHTTP

/// Who is calling the peer-facing listener, as established from the TLS certificate and the membership.
package struct Caller: AllianceCaller {
    let member: String
    let role: CallerRole
    /// The peers-file entry when the caller is a configured peer.
    let peer: PeerConfig?

    /// Request bodies on the peer listener are small (appeals, masking batches, reports).
    package static var maxUploadSize: Int { 8 << 20 }
}
