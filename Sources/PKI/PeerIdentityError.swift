import ExchangeProtocol
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// Why a certificate does not carry a usable alliance identity.
public enum PeerIdentityError: Error, Sendable, Equatable, CustomStringConvertible {
    case noTLSHandler
    case noPeerCertificate
    case undecodableCertificate
    case missingMemberURI
    case multipleMemberURIs
    case malformedMemberURI(reason: String)
    case missingRoleURI
    case multipleRoleURIs
    case unknownRole

    public var description: String {
        switch self {
        case .noTLSHandler: "the connection has no TLS handler"
        case .noPeerCertificate: "the peer presented no certificate"
        case .undecodableCertificate: "the peer certificate cannot be decoded"
        case .missingMemberURI: "the peer certificate has no subjectAltName URI \(AllianceURI.memberPrefix)<ID>"
        case .multipleMemberURIs: "the peer certificate has more than one \(AllianceURI.memberPrefix) URI"
        case .malformedMemberURI(let reason): "the peer certificate's member URI is malformed: \(reason)"
        case .missingRoleURI: "the peer certificate has no subjectAltName URI \(AllianceURI.rolePrefix)<role>"
        case .multipleRoleURIs: "the peer certificate has more than one \(AllianceURI.rolePrefix) URI"
        case .unknownRole:
            "the peer certificate's role URI names no known role (\(MemberRole.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
