import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ExchangeProtocol
import ExchangeRuntime

/// `exchange-node coordinator token-key list|rotate|deadline`.
struct CoordinatorTokenKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token-key",
        abstract: "Show or rotate the alliance keyed-hash token key (one file per epoch), or move the changeover deadline.",
        subcommands: [List.self, Rotate.self, Deadline.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the epochs held (fingerprints only) and their changeover deadlines.")

        @OptionGroup var options: CoordinatorHomeOption

        func run() async throws {
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            let ring = try context.tokenKeys()
            let changeovers = try TokenChangeovers.load(from: context.home)
            for key in ring.keys {
                var line = "epoch \(key.epoch)  fingerprint \(key.fingerprint)  created \(key.created)"
                if key.epoch == ring.current?.epoch {
                    line += "  (current)"
                } else if let deadline = changeovers.deadline(of: key.epoch) {
                    line += "  retired after \(ISO8601.format(millis: deadline))"
                }
                print(line)
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the next epoch's key and start the changeover to it.",
            discussion: """
                Nodes running `serve` learn of it at the start of their next sync round (others with `keys refresh`): \
                they re-issue their own entries under the new epoch and screen under both epochs meanwhile. After the \
                deadline, entries still under an older epoch no longer count, and every old key is deleted (here, and \
                at every node). DEADLINE: now, 90s, 30m, 12h, 7d, 2026-08-08 or 2026-08-08T09:00:00Z (UTC).
                """
        )

        @OptionGroup var options: CoordinatorHomeOption

        @Option(name: .long, help: "When entries under older epochs stop counting (default \(ChangeoverDeadline.defaultSpec)).")
        var deadline: String = ChangeoverDeadline.defaultSpec

        func run() async throws {
            let now = NodeClock.nowMillis()
            guard let at = ChangeoverDeadline.parse(deadline, now: now) else {
                throw ValidationError("--deadline: expected now, a duration such as 7d, 12h, 30m, 90s, or a UTC time such as 2026-08-08T09:00:00Z")
            }
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            let rotation = try TokenKeyRotation(coordinator: context).rotate(deadline: at, reason: "rotate", now: now)
            try? context.audit.flush()
            print("""
                token key epoch \(rotation.key.epoch) created (fingerprint \(rotation.key.fingerprint)); changeover deadline \
                \(ISO8601.format(millis: rotation.deadline)); nodes move at their next sync round (or `keys refresh`)
                """)
            if !rotation.caFolderUpdated {
                print("note: no CA folder is configured: members initialised from the CA folder's token-key.json start at an older epoch and move on their first round")
            }
        }
    }

    struct Deadline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move the current changeover's deadline (`now` ends it and retires the old keys).",
            discussion: "DEADLINE: now, 90s, 30m, 12h, 7d, 2026-08-08 or 2026-08-08T09:00:00Z (UTC)."
        )

        @OptionGroup var options: CoordinatorHomeOption

        @Option(name: .long, help: "The new deadline.")
        var deadline: String

        func run() async throws {
            let now = NodeClock.nowMillis()
            guard let at = ChangeoverDeadline.parse(deadline, now: now) else {
                throw ValidationError("--deadline: expected now, a duration such as 7d, 12h, 30m, 90s, or a UTC time such as 2026-08-08T09:00:00Z")
            }
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            let retired = try TokenKeyRotation(coordinator: context).moveDeadline(to: at, now: now)
            try? context.audit.flush()
            print("changeover deadline \(ISO8601.format(millis: at))"
                  + (retired.isEmpty ? "" : "; retired token key epoch(s) \(retired.map(String.init).joined(separator: ", "))"))
        }
    }
}
