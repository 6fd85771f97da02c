import ArgumentParser
import ExchangeDemo
import ExchangeProtocol
import ExchangeCrypto
import Foundation

/// `exchange-node demo`: a whole alliance on loopback, narrated.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a three-member alliance on loopback and narrate what happens.",
        discussion: """
            Creates a fresh alliance CA and member certificates in a temporary folder, starts each
            member's mTLS peer listener on a free loopback port, imports sample entries at each
            member, syncs, screens one member's accounts, revokes an entry, syncs and screens again;
            then a member watches its accounts and receives a later listing and its withdrawal.
            """
    )

    @Option(name: .long, help: "Keep the alliance in this folder instead of a temporary one.")
    var dir: String?

    @Option(name: .customLong("as-of"), help: "Screening day (YYYY-MM-DD).")
    var asOf: String = "2026-08-01"

    @Option(name: .long, help: "Token scheme: keyed-hash (shared alliance key) or ecdh-x25519 (pairwise masking).")
    var scheme: String = "keyed-hash"

    func run() async throws {
        guard let day = Day(parsing: asOf) else { throw ValidationError("--as-of must be YYYY-MM-DD") }
        let root = dir ?? NSTemporaryDirectory() + "exchange-node-demo-\(UInt32.random(in: 0...UInt32.max))"
        guard let scheme = TokenSchemeID(rawValue: scheme) else { throw ValidationError("--scheme must be keyed-hash or ecdh-x25519") }
        try await DemoRun(root: URL(fileURLWithPath: root), day: day, scheme: scheme).run()
    }
}
