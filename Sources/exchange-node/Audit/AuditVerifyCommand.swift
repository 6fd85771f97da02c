import ArgumentParser
import Crypto
import ExchangeAudit
import Foundation

/// `exchange-node audit verify --home HOME`: exit 0 with a summary when the log is intact, exit 1
/// with the first problem's seq and kind otherwise, exit 2 when it cannot be read at all.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no audit record was edited, removed, reordered or cut off.",
        discussion: """
            Signatures are checked with the key in HOME/keys/node.cert.pem (or HOME/keys/node.key.pem).
            After a key change, add the earlier certificates with --key.
            Exit status: 0 intact, 1 damaged (the first problem is printed), 2 unreadable.
            """
    )

    @Option(name: .long, help: "The node's home directory.")
    var home: String

    @Option(name: .long, help: "Another certificate or public key (PEM) whose signatures to accept. Repeatable.")
    var key: [String] = []

    func run() async throws {
        let verification: AuditVerification
        do {
            var keys = [try AuditKeyFiles.nodePublicKey(home: home)]
            for path in key { keys.append(try AuditKeyFiles.publicKey(fromFile: path)) }
            verification = try AuditLog.verify(directory: AuditKeyFiles.auditDirectory(home: home), publicKeys: keys)
        } catch {
            AuditStandardError.print("audit verify: \(error)")
            throw ExitCode(2)
        }
        for line in verification.reportLines { print(line) }
        if !verification.isIntact { throw ExitCode(1) }
    }
}
