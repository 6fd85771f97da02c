import AllianceHTTP
import AlliancePKI
import ExchangeProtocol
import Foundation
import NIOSSL
import X509

/// What a running node shares between its listeners and its sync loop.
package final class NodeRuntime: Sendable {
    package let context: NodeContext
    let feedBuilder: FeedBuilder
    let rateLimiter = RateLimiter()
    let revocations: LiveRevocationList
    let tls: NodeTLS

    package init(context: NodeContext) throws(NodeError) {
        self.context = context
        feedBuilder = FeedBuilder(member: context.member, certificateDER: context.keys.certificateDER, store: context.store)
        tls = try NodeTLS(home: context.home)
        revocations = LiveRevocationList(tls.revocationList)
    }

    package func makeSyncRound(client: PeerClient) -> SyncRound {
        SyncRound(context: context, client: client,
                  certificateCheck: OriginCertificateCheck(ca: context.keys.caCertificate, revocations: revocations))
    }

    package func makePeerClient() -> PeerClient { PeerClient(tls: tls.clientConfiguration) }
}

/// The node's TLS material as NIOSSL wants it.
struct NodeTLS: Sendable {
    let serverConfiguration: TLSConfiguration
    let clientConfiguration: TLSConfiguration
    let revocationList: RevocationList?
    let caCertificate: Certificate

    init(home: NodeHome) throws(NodeError) {
        // The key file's mode is checked by NodeKeys.load before we get here.
        do {
            let certificate = try NIOSSLCertificate(file: home.nodeCertificateFile.path, format: .pem)
            let key = try NIOSSLPrivateKey(file: home.nodeKeyFile.path, format: .pem)
            let ca = try NIOSSLCertificate(file: home.caCertificateFile.path, format: .pem)
            serverConfiguration = MTLSConfiguration.server(certificate: certificate, key: key, ca: ca)
            clientConfiguration = MTLSConfiguration.client(certificate: certificate, key: key, ca: ca)
        } catch {
            throw .configuration("cannot load TLS material from \(home.keysDirectory.path)", underlying: error)
        }
        caCertificate = try NodeKeys.loadCertificate(home.caCertificateFile)
        if FileManager.default.fileExists(atPath: home.revocationListFile.path) {
            do {
                revocationList = try RevocationList.load(path: home.revocationListFile.path, caCertificate: caCertificate)
            } catch {
                throw .configuration(home.revocationListFile.path, underlying: error)
            }
        } else {
            revocationList = nil
        }
    }
}
