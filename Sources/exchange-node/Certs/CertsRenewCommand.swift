import AlliancePKI
import ArgumentParser
import ExchangeProtocol
import Foundation

/// `exchange-node certs renew --dir CA --member ID`: a new certificate for the member's existing key.
struct CertsRenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Renew a member certificate for the same key (new serial and validity; peers need no change).",
        discussion: """
            Keeps the member's key pair, member id, role, DNS names and IP addresses: every event the member \
            published stays verifiable with the key in its certificate. Writes DIR/members/<ID>/cert.pem and keeps \
            the previous certificate as DIR/members/<ID>/previous/cert-SERIAL.pem (not revoked). The member \
            installs the new certificate with `exchange-node certs install --home HOME --cert cert.pem` and \
            restarts its node.
            """
    )

    @OptionGroup var directory: CertsDirectoryOption

    @Option(name: .long, help: ArgumentHelp("Member id.", valueName: "ID"))
    var member: String

    @Option(name: .long, help: ArgumentHelp("Validity in years (1-10).", valueName: "YEARS"))
    var years: Int = MemberCertificateRequest.defaultValidityYears

    @OptionGroup var validity: ValidityOverrideOption

    func run() async throws {
        let renewal = try directory.directory.renew(member: try MemberID(member), years: years, validity: try validity.interval())
        print("renewed certificate for member \(renewal.memberID) (same key)")
        print("  serial        \(renewal.serialHex) (was \(renewal.previousSerialHex), not revoked)")
        print("  valid         \(ISO8601.format(seconds: Int64(renewal.certificate.notValidBefore.timeIntervalSince1970))) to "
              + "\(ISO8601.format(seconds: Int64(renewal.certificate.notValidAfter.timeIntervalSince1970)))")
        print("wrote")
        print("  \(renewal.certificatePath)")
        print("  \(renewal.previousPath) (the previous certificate)")
        print("next: on the member's node, `exchange-node certs install --home HOME --cert \(renewal.certificatePath)`, then restart it")
    }
}
