import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

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
