import Foundation
import NIOSSL
import SwiftASN1
import X509

/// Certificates on disk as PEM, in both libraries' types (swift-certificates for inspection and
/// issuance, NIOSSL for TLS).
package enum PEMFiles {
    /// Reads the first certificate of a PEM file.
    package static func readCertificate(path: String) throws(PKIError) -> Certificate {
        let text = String(decoding: try KeyFile.read(path: path), as: UTF8.self)
        do {
            return try Certificate(pemEncoded: text)
        } catch {
            throw .malformedFile(path: path, reason: "not a PEM certificate")
        }
    }

    /// Writes a certificate as PEM, mode 0644, atomically.
    static func writeCertificate(_ certificate: Certificate, path: String) throws(PKIError) {
        try KeyFile.write(Data(pem(of: certificate).utf8), path: path, mode: 0o644)
    }

    static func pem(of certificate: Certificate) throws(PKIError) -> String {
        do {
            return try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw .certificateCreation(reason: "PEM encoding failed (\(error))")
        }
    }

    /// Converts a swift-certificates certificate to NIOSSL's type.
    static func nioCertificate(_ certificate: Certificate) throws(PKIError) -> NIOSSLCertificate {
        do {
            return try NIOSSLCertificate(bytes: CertificateSerial.derBytes(of: certificate), format: .der)
        } catch let error as PKIError {
            throw error
        } catch {
            throw .tlsConfiguration(reason: "certificate not accepted by BoringSSL (\(error))")
        }
    }

    /// Converts a NIOSSL certificate to swift-certificates' type.
    package static func x509Certificate(_ certificate: NIOSSLCertificate) throws -> Certificate {
        try Certificate(derEncoded: certificate.toDERBytes())
    }
}
