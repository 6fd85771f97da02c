import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

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
