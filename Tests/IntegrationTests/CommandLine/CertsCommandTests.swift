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
        await #expect(throws: PKIError.self) { try await run(["init", "--dir", temp.path]) }
        try await run(["init", "--dir", temp.path, "--alliance", "Example", "--force"])

        try await run(["issue", "--dir", temp.path, "--member", "shop-1", "--dns", "shop1.example", "--dns", "node.shop1.example",
                       "--ip", "10.0.0.5", "--role", "coordinator"])
        let shop = try MemberID("shop-1")
        let credentials = try MemberCredentials.load(memberDirectory: dir.memberDirectory(shop))
        #expect(credentials.identity.role == .coordinator)

        await #expect(throws: MemberIDError("Shop_1", reason: "must start with a lower-case letter or digit")) {
            try await run(["issue", "--dir", temp.path, "--member", "Shop_1"])
        }
        #expect(throws: (any Error).self) { try CertsCommand.parseAsRoot(["issue", "--dir", temp.path, "--member", "x", "--role", "admin"]) }
        #expect(throws: (any Error).self) { try CertsCommand.parseAsRoot(["revoke", "--dir", temp.path]) }

        try await run(["revoke", "--dir", temp.path, "--member", "shop-1"])
        #expect(try dir.loadRevocationList().serials == [credentials.identity.serialHex])
        try await run(["show", "--dir", temp.path])
        try await run(["show", "--dir", temp.path, "--member", "shop-1"])

        let help = CertsCommand.helpMessage(for: CertsIssueCommand.self)
        #expect(help.contains("--dns"))
        #expect(help.contains("urn:alliance:member"))
    }
}
