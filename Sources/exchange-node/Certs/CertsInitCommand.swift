import ArgumentParser
import ExchangeProtocol
import Foundation

/// `exchange-node certs init`: creates the alliance CA, token key and an empty revocation list.
struct CertsInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the alliance CA, the token key (epoch 1) and an empty signed revocation list.",
        discussion: """
            Writes DIR/ca.pem, DIR/ca.key.pem (0600), DIR/token-key.json (0600) and DIR/revoked.json.

            Refuses to replace any of them unless --force is given: replacing the CA invalidates every member certificate, and replacing the token key every token already shared.
            """
    )

    @OptionGroup var directory: CertsDirectoryOption

    @Option(name: .long, help: ArgumentHelp("The alliance's name; the CA is named \"<NAME> Alliance CA\".", valueName: "NAME"))
    var alliance: String = "Anti-Fraud"

    @Flag(name: .long, help: "Replace an existing CA, token key and revocation list.")
    var force = false

    func run() async throws {
        let created = try directory.directory.initialise(allianceName: alliance, force: force)
        let dir = created.directory
        print("created alliance CA \(created.caSubject)")
        print("  serial        \(created.caSerialHex)")
        print("  sha256        \(created.caFingerprintSHA256)")
        print("  valid until   \(ISO8601.format(seconds: Int64(created.caNotValidAfter.timeIntervalSince1970)))")
        print("  token key     keyed-hash epoch \(created.tokenKeyEpoch), fingerprint \(created.tokenKeyFingerprint)")
        print("wrote")
        print("  \(dir.caCertificatePath)")
        print("  \(dir.caKeyPath) (0600, keep offline)")
        print("  \(dir.tokenKeyPath) (0600, give to every member over a secure channel)")
        print("  \(dir.revocationListPath) (empty)")
        print("next: exchange-node certs issue --dir \(directory.dir) --member ID [--dns NAME] [--ip ADDR]")
    }
}
