import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// The demo's continuous screening: beta-rides watches some of its accounts once; alpha-mall later
/// lists one of them; after one sync round the match is in beta-rides' outbox without any screen,
/// and alpha-mall's revocation reaches it the same way as a retraction.
struct DemoWatch {
    let contexts: [String: NodeContext]
    let runtimes: [String: NodeRuntime]
    let root: URL

    static let watcher = "beta-rides"
    static let lister = "alpha-mall"

    /// beta-rides' accounts (as people type them): one already listed by alpha-mall (AM-003), one that
    /// alpha-mall lists later in the demo, one that nobody lists.
    static let accounts = """
        ref,kind,identifier
        rider-201,phone,137-0000-2001
        rider-202,uscc,91110000600037341l
        rider-203,email,Rider203@Example.net

        """

    /// Registers the accounts; returns the outbox position before the listing.
    func register(say: (String) -> Void) async throws -> Int64 {
        let context = contexts[Self.watcher]!
        let file = root.appendingPathComponent("\(Self.watcher)-watch.csv")
        try Self.accounts.write(to: file, atomically: true, encoding: .utf8)
        let client = runtimes[Self.watcher]!.makePeerClient()
        let registration: WatchService.Registration
        do {
            registration = try await WatchService(context: context, client: client).register(file: file.path)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        say("\(Self.watcher) watches \(registration.registrar.registered) of its accounts (watch add): \(registration.records) current match went to its outbox at once; from now on no screen is needed")
        for line in try outbox(after: 0).filter({ $0.json.contains("\"source\":\"watch\"") }) { print("           \(line.json)") }
        return try context.store.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM outbox") ?? 0 }
    }

    /// alpha-mall lists rider-201's phone: imported as AM-006, listed yesterday.
    func list(say: (String) -> Void) throws {
        let today = NodeClock.today()
        let file = root.appendingPathComponent("\(Self.lister)-later.csv")
        try (DemoData.header + "AM-006,black,brushing,2,phone,+86 13700002001,\(today.adding(days: -1)),\(today.adding(days: 365)),\n")
            .write(to: file, atomically: true, encoding: .utf8)
        _ = try EntryImporter(context: contexts[Self.lister]!).run(path: file.path)
        say("\(Self.lister) lists a new subject (AM-006, brushing); nobody screens anything")
    }

    /// The watcher's outbox records after `seq`.
    func outbox(after seq: Int64) throws -> [(seq: Int64, json: String)] {
        try contexts[Self.watcher]!.store.read { db in try Outbox.read(after: seq, limit: 100, db) }
    }

    /// Prints what arrived in the watcher's outbox after `seq`; returns the new position.
    func show(after seq: Int64, say: (String) -> Void, what: String) throws -> Int64 {
        let records = try outbox(after: seq)
        say("\(Self.watcher)'s outbox received \(records.count) \(what) record(s) in that round, with no screen call:")
        for record in records { print("           \(record.json)") }
        return records.last?.seq ?? seq
    }
}
