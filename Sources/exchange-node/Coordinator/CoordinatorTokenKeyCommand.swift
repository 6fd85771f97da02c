import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator

/// `exchange-node coordinator token-key rotate|list`.
struct CoordinatorTokenKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token-key",
        abstract: "Show or rotate the alliance keyed-hash token key (one file per epoch).",
        subcommands: [List.self, Rotate.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the epochs held (fingerprints only).")

        @OptionGroup var options: CoordinatorHomeOption

        func run() async throws {
            let ring = try TokenKeyRing.load(from: options.coordinatorHome)
            for key in ring.keys {
                print("epoch \(key.epoch)  fingerprint \(key.fingerprint)  created \(key.created)\(key.epoch == ring.current?.epoch ? "  (current)" : "")")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the next epoch's key.",
            discussion: """
                Members fetch it with GET /v1/token-key?epoch=N, re-tokenise their own entries from their sealed
                identifiers and republish them; the previous epoch stays available until every member has moved.
                """
        )

        @OptionGroup var options: CoordinatorHomeOption

        func run() async throws {
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            let key = try TokenKeyRing.rotate(in: context.home)
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "token-key.rotate", outcome: .ok,
                                            detail: ["epoch": .count(Int(key.epoch))]))
            try? context.audit.flush()
            print("token key epoch \(key.epoch) created (fingerprint \(key.fingerprint)); members fetch it from GET /v1/token-key?epoch=\(key.epoch)")
        }
    }
}
