import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ExchangeRuntime
import Foundation

/// `exchange-node coordinator status --home HOME`.
struct CoordinatorStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the registry, the token-key epochs, the revocation list and the reports received."
    )

    @OptionGroup var options: CoordinatorHomeOption

    func run() async throws {
        let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
        let registry = try context.registry()
        let ring = try context.tokenKeys()
        let reports = try context.store.reports()
        print("coordinator \(context.member) of \(context.config.alliance), listening on \(context.config.listen)")
        print("  members      \(registry.nodes.count) node(s), \(registry.members.count - registry.nodes.count) operator(s)")
        print("  token key    epoch \(ring.current.map { "\($0.epoch) (fingerprint \($0.fingerprint))" } ?? "none"), \(ring.keys.count) epoch(s) held")
        print("  revocations  \(context.revocations.current.map { "\($0.serials.count) revoked, issued \($0.issued)" } ?? "no list")")
        print("  reports      \(reports.count) member-day(s)")
        for member in registry.nodes {
            let days = reports.filter { $0.member == member.member }
            print("    \(member.member): \(days.count) day(s)\(days.last.map { ", last \($0.day)" } ?? "")")
        }
    }
}
