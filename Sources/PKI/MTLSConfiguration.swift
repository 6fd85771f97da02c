import NIOCore
import NIOSSL

/// NIOSSL `TLSConfiguration`s for alliance mutual TLS: both ends present a member certificate
/// and trust only the alliance CA.
public enum MTLSConfiguration {
    /// Server side: requires a client certificate chaining to `ca` (a connection without one is
    /// refused during the handshake), offers only `ca` in the CertificateRequest's CA list,
    /// TLS 1.2 or newer.
    ///
    /// Use it through ``AllianceTLSServer``, whose handler additionally refuses revoked serials
    /// and certificates without a member identity. On its own (`NIOSSLServerHandler(context:)`)
    /// this configuration does NOT check revocation.
    public static func server(
        certificate: NIOSSLCertificate,
        key: NIOSSLPrivateKey,
        ca: NIOSSLCertificate
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: [.certificate(certificate)],
            privateKey: .privateKey(key),
            trustRoots: .certificates([ca])
        )
        // makeServerConfigurationWithMTLS sets .noHostnameVerification, which BoringSSL maps to
        // SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT: a client certificate is required.
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv12
        configuration.sendCANameList = true
        // A stopping server closes each connection with close_notify and NIOSSL waits this long for the
        // peer's before closing anyway. Its default, 5 s, held `serve` that long on a stop signal whenever
        // a peer's client kept an idle connection open; the stop must end within 2 s.
        configuration.shutdownTimeout = Self.shutdownTimeout
        return configuration
    }

    /// Client side (AsyncHTTPClient's `HTTPClient.Configuration(tlsConfiguration:)` or a NIO
    /// client): presents `certificate`, trusts only `ca`, TLS 1.2 or newer.
    ///
    /// Host names are deliberately not verified (`.noHostnameVerification`): alliance peers are
    /// identified by the member id in their certificate, not by DNS. Nodes are reached at
    /// whatever address the membership list gives (often an IP or an internal name that is not
    /// in the certificate), and any certificate signed by the alliance CA proves alliance
    /// membership. AsyncHTTPClient does not expose the server's certificate to the caller, so
    /// the client cannot check the server's serial against the revocation list: a revoked
    /// member is instead refused on this side by the membership list (the caller only connects
    /// to the URL of a member in good standing), and is refused by every server, whose
    /// ``AllianceTLSServer`` handler enforces `revoked.json`.
    public static func client(
        certificate: NIOSSLCertificate,
        key: NIOSSLPrivateKey,
        ca: NIOSSLCertificate
    ) -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [.certificate(certificate)]
        configuration.privateKey = .privateKey(key)
        configuration.trustRoots = .certificates([ca])
        configuration.certificateVerification = .noHostnameVerification
        configuration.minimumTLSVersion = .tlsv12
        configuration.shutdownTimeout = Self.shutdownTimeout
        return configuration
    }

    /// How long a closing connection waits for the peer's close_notify (NIOSSL's default: 5 s).
    public static let shutdownTimeout: TimeAmount = .milliseconds(300)
}
