import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `exchange-node appeal file|list|show|resolve`: objections against entries (异议申诉).
struct AppealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeal",
        abstract: "File, list and decide appeals against blacklist entries.",
        discussion: """
            A member whose account matched an entry files an appeal on the subject's behalf at the \
            entry's origin (over mTLS). The origin's operator upholds it (the entry is revoked with \
            reason appeal-upheld and every peer retracts its matches) or rejects it with a reason the \
            filer is told. Appeals name the entry only: the reason text must not contain identifiers.
            """,
        subcommands: [AppealFileCommand.self, AppealListCommand.self, AppealShowCommand.self, AppealResolveCommand.self]
    )
}

/// The warning every command that sends free text prints.
enum AppealTextWarning {
    static let text = """
        note: this text travels to another member. It must not contain the subject's identifiers \
        (phone, resident ID, USCC, bank card, e-mail): the node refuses text that contains one.
        """
}

/// `appeal file --home HOME --entry ORIGIN:ENTRY_ID --reason TEXT`.
struct AppealFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "File an appeal against another member's entry that matched one of our accounts."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The entry, as ORIGIN:ENTRY_ID (see the match in the outbox).")
    var entry: String

    @Option(name: .long, help: "The evidence, as free text (at most 2000 characters). Never include identifiers.")
    var reason: String

    @Option(name: .customLong("appeal-id"), help: "Re-send an appeal with this id (a UUID) instead of a new one.")
    var appealID: String?

    func run() async throws {
        guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex, entry.index(after: colon) != entry.endIndex else {
            throw ValidationError("--entry must be ORIGIN:ENTRY_ID")
        }
        let origin = String(entry[..<colon])
        let entryID = String(entry[entry.index(after: colon)...])
        FileHandle.standardError.write(Data((AppealTextWarning.text + "\n").utf8))
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        let client = runtime.makePeerClient()
        let result: Result<Appeal, AppealError>
        do throws(AppealError) {
            result = .success(try await AppealFiler(context: runtime.context, client: client)
                .file(entry: origin, entryID, reason: reason, appealID: appealID ?? AppealID.make()))
        } catch {
            result = .failure(error)
        }
        await client.shutdown()
        try? runtime.context.audit.flush()
        let appeal = try result.get()
        print("filed appeal \(appeal.id) against \(appeal.entryReference); the origin must decide by \(appeal.deadline)")
    }
}

/// `appeal list --home HOME`: incoming and outgoing appeals; outgoing ones are refreshed first.
struct AppealListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List appeals against our entries and appeals we filed (asking origins for news), flagging overdue ones."
    )

    @OptionGroup var options: HomeOption

    @Flag(name: .long, help: "Do not ask the origins of our open appeals for their state.")
    var offline = false

    @Flag(name: .long, help: "Print JSON lines instead of text.")
    var json = false

    func run() async throws {
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        let context = runtime.context
        let today = NodeClock.today()
        try AppealDeadlines.sweep(context, today: today)
        var problems: [String] = []
        if !offline {
            let client = runtime.makePeerClient()
            let refreshed: Result<[AppealFiler.Refresh], AppealError>
            do throws(AppealError) {
                refreshed = .success(try await AppealFiler(context: context, client: client).refresh())
            } catch {
                refreshed = .failure(error)
            }
            await client.shutdown()
            problems = try refreshed.get().compactMap { refresh in refresh.error.map { "\(refresh.appeal.id): \($0)" } }
        }
        let (incoming, outgoing) = try AppealTransaction.read(context.store) { db in
            (try AppealTable.list(direction: .incoming, db), try AppealTable.list(direction: .outgoing, db))
        }
        try? context.audit.flush()
        if json {
            for appeal in incoming + outgoing { print(AppealListing.jsonLine(appeal, today: today)) }
        } else {
            print(AppealListing.text(incoming: incoming, outgoing: outgoing, today: today))
        }
        for problem in problems { FileHandle.standardError.write(Data("could not refresh \(problem)\n".utf8)) }
    }
}

/// `appeal show --home HOME --appeal ID`: one appeal in full (the evidence the operator decides on).
struct AppealShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one appeal, with its reason text.")

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The appeal id.")
    var appeal: String

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        guard let id = AppealID.normalise(appeal) else { throw ValidationError("--appeal must be a UUID") }
        let found = try AppealTransaction.read(context.store) { db in
            try AppealTable.find(id, direction: .incoming, db) ?? AppealTable.find(id, direction: .outgoing, db)
        }
        guard let found else { throw AppealError.unknownAppeal(id) }
        print(AppealListing.detail(found, today: NodeClock.today()))
    }
}

/// `appeal resolve --home HOME --appeal ID --uphold|--reject --reason TEXT` (at the origin).
struct AppealResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Decide an appeal against one of our entries: --uphold revokes the entry, --reject tells the filer why."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The appeal id.")
    var appeal: String

    @Flag(name: .long, help: "Uphold: revoke the entry (reason appeal-upheld); every peer retracts its matches.")
    var uphold = false

    @Flag(name: .long, help: "Reject: the entry stays; --reason is sent to the filer.")
    var reject = false

    @Option(name: .long, help: "Why (required with --reject; sent to the filer). Never include identifiers.")
    var reason: String?

    func validate() throws {
        guard uphold != reject else { throw ValidationError("give exactly one of --uphold and --reject") }
        if reject, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reject needs --reason (the filer is told)")
        }
    }

    func run() async throws {
        if reason != nil { FileHandle.standardError.write(Data((AppealTextWarning.text + "\n").utf8)) }
        let context = try NodeContext(home: options.nodeHome)
        try AppealDeadlines.sweep(context)
        let outcome = try AppealDecision(context: context).resolve(appealID: appeal, verdict: uphold ? .uphold : .reject, reason: reason)
        try? context.audit.flush()
        switch outcome.appeal.status {
        case .upheld:
            if let revocation = outcome.revocation {
                print("appeal \(outcome.appeal.id) upheld: \(outcome.appeal.entryReference) revoked (appeal-upheld) as event #\(revocation.seq); peers retract on their next sync")
            } else {
                print("appeal \(outcome.appeal.id) upheld: \(outcome.appeal.entryReference) was already revoked")
            }
            if !outcome.alsoClosed.isEmpty {
                print("also closed as upheld (same entry): \(outcome.alsoClosed.joined(separator: ", "))")
            }
        default:
            print("appeal \(outcome.appeal.id) rejected; \(outcome.appeal.filer) learns the reason when it next asks")
        }
    }
}
