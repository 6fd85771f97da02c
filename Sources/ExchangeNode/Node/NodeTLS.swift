import AllianceHTTP
import AlliancePKI
import ExchangeProtocol
import Foundation
import NIOSSL
import X509

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
