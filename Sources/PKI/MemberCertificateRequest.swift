import ExchangeProtocol
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a member certificate must say: whose it is, its role, and the host names and addresses
/// its node serves under. Validated on construction.
public struct MemberCertificateRequest: Sendable, Equatable {
    public let memberID: MemberID
    public let role: MemberRole
    /// Lower-cased DNS names (no wildcards).
    public let dnsNames: [String]
    /// IPv4 or IPv6 addresses in their textual form.
    public let ipAddresses: [String]
    /// How many years the certificate is valid (default 2).
    public let validityYears: Int

    public static let defaultValidityYears = 2

    public init(
        memberID: MemberID,
        role: MemberRole = .node,
        dnsNames: [String] = [],
        ipAddresses: [String] = [],
        validityYears: Int = MemberCertificateRequest.defaultValidityYears
    ) throws(PKIError) {
        guard (1...10).contains(validityYears) else {
            throw .invalidArgument("validity must be 1-10 years")
        }
        var names = [String]()
        for name in dnsNames {
            let lowered = name.lowercased()
            guard Self.isValidDNSName(lowered) else {
                throw .invalidArgument("--dns '\(name)' is not a host name (letters, digits, '-', dot-separated labels; no wildcards)")
            }
            if !names.contains(lowered) { names.append(lowered) }
        }
        var addresses = [String]()
        for address in ipAddresses {
            guard IPAddressBytes.parse(address) != nil else {
                throw .invalidArgument("--ip '\(address)' is not an IPv4 or IPv6 address")
            }
            if !addresses.contains(address) { addresses.append(address) }
        }
        self.memberID = memberID
        self.role = role
        self.dnsNames = names
        self.ipAddresses = addresses
        self.validityYears = validityYears
    }

    /// The subjectAltName entries: member URI, role URI, then DNS names and IP addresses.
    var subjectAlternativeNames: SubjectAlternativeNames {
        var names: [GeneralName] = [
            .uniformResourceIdentifier(AllianceURI.member(memberID)),
            .uniformResourceIdentifier(AllianceURI.role(role)),
        ]
        names += dnsNames.map { .dnsName($0) }
        names += ipAddresses.compactMap { IPAddressBytes.parse($0) }.map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        return SubjectAlternativeNames(names)
    }

    static func isValidDNSName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
                return false
            }
            return bytes.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
            }
        }
    }
}
