import AlliancePKI
import ArgumentParser

/// `exchange-node certs`: the alliance PKI. Creates the alliance CA and token key, issues member
/// certificates, revokes them, and shows what a CA folder holds. Run by the alliance operator,
/// on the machine that keeps the CA key.
struct CertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs",
        abstract: "Manage the alliance CA, member certificates and the revocation list.",
        discussion: """
            The CA folder (--dir) holds:
              ca.pem, ca.key.pem (0600)  the alliance CA (P-256, 10 years)
              token-key.json (0600)      the alliance keyed-hash token key, epoch 1
              revoked.json               the CA-signed list of revoked serials
              members/<ID>/              cert.pem, key.pem (0600), ca.pem (previous/: renewed ones)

            Member certificates carry the member id as the URI urn:alliance:member:<ID> and the role as urn:alliance:role:<role>; nodes identify peers by these, not by host name.

            Keep ca.key.pem offline. Hand each member only its members/<ID> folder, and the token key over a secure channel.

            Renewal keeps the member's key (`certs renew`); the member installs the new certificate with `certs install --home`.
            """,
        subcommands: [CertsInitCommand.self, CertsIssueCommand.self, CertsRenewCommand.self, CertsInstallCommand.self,
                      CertsRevokeCommand.self, CertsShowCommand.self]
    )

    init() {}
}

extension MemberRole: ExpressibleByArgument {}
