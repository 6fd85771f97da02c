import AlliancePKI
import ArgumentParser
import ExchangeProtocol
import Foundation

/// `exchange-node certs issue`: issues a member certificate into `DIR/members/<ID>/`.
struct CertsIssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue a member certificate (P-256, serverAuth + clientAuth, 2 years).",
        discussion: """
            Writes DIR/members/<ID>/cert.pem, key.pem (0600) and ca.pem: the folder is all the member needs.

            The certificate names the member as urn:alliance:member:<ID> and its role as urn:alliance:role:<role>, plus any --dns names and --ip addresses its node is reached at. Refuses to replace an existing member certificate unless --force is given.
            """
    )

    @OptionGroup var directory: CertsDirectoryOption

    @Option(name: .long, help: ArgumentHelp("Member id: [a-z0-9][a-z0-9-]{0,62}.", valueName: "ID"))
    var member: String

    @Option(name: .long, help: ArgumentHelp("A DNS name the member's node is reached at (repeatable).", valueName: "NAME"))
    var dns: [String] = []

    @Option(name: .long, help: ArgumentHelp("An IP address the member's node is reached at (repeatable).", valueName: "ADDR"))
    var ip: [String] = []

    @Option(name: .long, help: "The holder's role.")
    var role: MemberRole = .node

    @Option(name: .long, help: ArgumentHelp("Validity in years (1-10).", valueName: "YEARS"))
    var years: Int = MemberCertificateRequest.defaultValidityYears

    @Flag(name: .long, help: "Replace an existing certificate for this member (the old one is not revoked).")
    var force = false

    @OptionGroup var validity: ValidityOverrideOption

    func run() async throws {
        let request = try MemberCertificateRequest(
            memberID: try MemberID(member),
            role: role,
            dnsNames: dns,
            ipAddresses: ip,
            validityYears: years
        )
        let result = try directory.directory.issue(request, force: force, validity: try validity.interval())
        let issued = result.issued
        print("issued certificate for member \(issued.memberID) (role \(issued.role))")
        print("  serial        \(issued.serialHex)")
        print("  sha256        \(issued.fingerprintSHA256)")
        print("  valid until   \(ISO8601.format(seconds: Int64(issued.certificate.notValidAfter.timeIntervalSince1970)))")
        let names = request.dnsNames.map { "DNS:\($0)" } + request.ipAddresses.map { "IP:\($0)" }
        if !names.isEmpty { print("  names         \(names.joined(separator: ", "))") }
        if let replaced = result.replacedSerialHex {
            print("  replaced      serial \(replaced) (still valid; revoke with: certs revoke --dir \(directory.dir) --serial \(replaced))")
        }
        print("wrote")
        print("  \(result.certificatePath)")
        print("  \(result.keyPath) (0600)")
        print("  \(result.caPath)")
    }
}
