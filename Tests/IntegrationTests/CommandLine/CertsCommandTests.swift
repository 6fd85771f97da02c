import AllianceTestSupport
import ArgumentParser
import Foundation
import Testing

@testable import AlliancePKI
@testable import ExchangeNode
@testable import ExchangeProtocol
@testable import exchange_node

@Suite("Alliance PKI: certs command line")
struct CertsCommandTests {
    private func run(_ arguments: [String]) async throws {
        var command = try CertsCommand.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }

    @Test func initIssueRevokeShow() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let dir = AllianceDirectory(temp.path)

        try await run(["init", "--dir", temp.path, "--alliance", "Example"])
        #expect(try dir.loadCA().subjectDescription.contains("Example Alliance CA"))
        await #expect(throws: PKIError.alreadyExists(
            path: dir.caCertificatePath,
            hint: "pass --force to replace the CA, token key and revocation list (every member certificate must then be re-issued)"
        )) {
            try await run(["init", "--dir", temp.path])
        }
        try await run(["init", "--dir", temp.path, "--alliance", "Example", "--force"])

        try await run(["issue", "--dir", temp.path, "--member", "shop-1", "--dns", "shop1.example", "--dns", "node.shop1.example",
                       "--ip", "10.0.0.5", "--role", "coordinator"])
        let shop = try MemberID("shop-1")
        let credentials = try MemberCredentials.load(memberDirectory: dir.memberDirectory(shop))
        #expect(credentials.identity.role == .coordinator)

        await #expect(throws: MemberIDError("Shop_1", reason: "must start with a lower-case letter or digit")) {
            try await run(["issue", "--dir", temp.path, "--member", "Shop_1"])
        }
        #expect {
            try CertsCommand.parseAsRoot(["issue", "--dir", temp.path, "--member", "x", "--role", "admin"])
        } throws: { error in
            CertsCommand.message(for: error).contains("'admin'") && CertsCommand.exitCode(for: error) == .validationFailure
        }
        #expect {
            try CertsCommand.parseAsRoot(["revoke", "--dir", temp.path])
        } throws: { error in
            CertsCommand.message(for: error) == "give exactly one of --member or --serial"
        }

        try await run(["revoke", "--dir", temp.path, "--member", "shop-1"])
        #expect(try dir.loadRevocationList().serials == [credentials.identity.serialHex])
        try await run(["show", "--dir", temp.path])
        try await run(["show", "--dir", temp.path, "--member", "shop-1"])

        let help = CertsCommand.helpMessage(for: CertsIssueCommand.self)
        #expect(help.contains("--dns"))
        #expect(help.contains("urn:alliance:member"))
    }
}
