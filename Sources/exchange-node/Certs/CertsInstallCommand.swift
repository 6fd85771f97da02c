import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import Foundation

/// `exchange-node certs install --home HOME --cert FILE`: puts a renewed certificate in place on a node.
struct CertsInstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a renewed certificate on this node (same key, same member); restart the node after.",
        discussion: """
            Checks that the certificate is for the node's own key and member id, was issued by the node's CA \
            and is valid now, then replaces HOME/keys/node.cert.pem atomically (audited). A running `serve` \
            keeps presenting the old certificate until it is restarted.
            """
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: ArgumentHelp("The renewed certificate (PEM).", valueName: "FILE"))
    var cert: String

    func run() async throws {
        let installed = try CertificateInstallation(home: options.nodeHome).install(from: cert)
        print("installed the certificate of \(installed.member), serial \(installed.serialHex), valid until \(installed.notAfter)")
        print("  replaced serial \(installed.previousSerialHex)")
        print("next: restart the node (systemctl restart exchange-node) so that it presents the new certificate")
    }
}
