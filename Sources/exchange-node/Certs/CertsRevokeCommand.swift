import AlliancePKI
import ArgumentParser
import ExchangeProtocol
import Foundation

/// `exchange-node certs revoke`: adds a certificate serial to the signed revocation list.
struct CertsRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke a member certificate: add its serial to revoked.json and re-sign it.",
        discussion: """
            Give --member ID to revoke that member's current certificate, or --serial HEX for any certificate (e.g. one replaced with `issue --force`).

            Distribute the new revoked.json to every node: a node refuses TLS connections from revoked certificates.
            """
    )

    @OptionGroup var directory: CertsDirectoryOption

    @Option(name: .long, help: ArgumentHelp("Revoke this member's current certificate.", valueName: "ID"))
    var member: String?

    @Option(name: .long, help: ArgumentHelp("Revoke the certificate with this serial (hex, colons allowed).", valueName: "HEX"))
    var serial: String?

    func validate() throws {
        guard (member == nil) != (serial == nil) else {
            throw ValidationError("give exactly one of --member or --serial")
        }
    }

    func run() async throws {
        let revocation: Revocation
        if let member {
            revocation = try directory.directory.revoke(member: try MemberID(member))
        } else {
            revocation = try directory.directory.revoke(serialHex: serial ?? "")
        }
        let what = member.map { "member \($0), serial \(revocation.serialHex)" } ?? "serial \(revocation.serialHex)"
        print(revocation.alreadyRevoked ? "already revoked: \(what) (list re-signed)" : "revoked \(what)")
        print("wrote \(revocation.path): \(revocation.list.serials.count) revoked serial(s), issued \(revocation.list.issued)")
    }
}
