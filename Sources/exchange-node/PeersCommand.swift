import ArgumentParser
import ExchangeAudit
import ExchangeNode
import ExchangeProtocol
import Foundation

/// `exchange-node peers add|list`.
struct PeersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peers",
        abstract: "Manage the members this node exchanges with.",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add or replace a peer (HOME/peers/ID.json).")

        @OptionGroup var options: HomeOption

        @Option(name: .long, help: "The peer's member id (as in its certificate).")
        var member: String

        @Option(name: .long, help: "Base URL of its peer listener, e.g. https://10.0.0.2:7443.")
        var url: String

        @Option(name: .long, help: "Lists it may receive from us (comma-separated: black,watch,red).")
        var lists: String = "black,watch,red"

        @Option(name: .long, help: "node or coordinator.")
        var role: String = "node"

        @Option(name: .long, help: "Identifiers it may ask us to mask per day (pairwise scheme).")
        var budget: Int = 1_000_000

        @Option(name: .long, help: "Requests per second it may make to us.")
        var rate: Double = 200

        func run() async throws {
            let parsedLists = try lists.split(separator: ",").map { name -> ListKind in
                guard let list = ListKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown list '\(name)' (black, watch, red)")
                }
                return list
            }
            guard let role = PeerConfig.Role(rawValue: role) else { throw ValidationError("--role must be node or coordinator") }
            guard let parsed = URL(string: url), parsed.scheme == "https", parsed.host != nil else {
                throw ValidationError("--url must be https://HOST:PORT")
            }
            let home = options.nodeHome
            guard home.exists else { throw NodeError.notInitialised(home.path) }
            let peer = PeerConfig(member: member, url: url.hasSuffix("/") ? String(url.dropLast()) : url, role: role,
                                  lists: parsedLists, dailyMaskingBudget: budget, requestsPerSecond: rate)
            try PeerDirectory(peers: [:]).save(peer, to: home)
            let context = try NodeContext(home: home)
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: .peerAdd, outcome: .ok,
                                            detail: ["peer": .member(member), "lists": .code(parsedLists.map(\.rawValue).joined(separator: ","))]))
            try? context.audit.flush()
            print("peer \(member) → \(peer.url) (\(role.rawValue); lists \(parsedLists.map(\.rawValue).joined(separator: ",")))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List this node's peers.")

        @OptionGroup var options: HomeOption

        func run() async throws {
            let peers = try PeerDirectory.load(from: options.nodeHome)
            for peer in peers.peers.values.sorted(by: { $0.member < $1.member }) {
                print("\(peer.member)\t\(peer.role.rawValue)\t\(peer.url)\t\(peer.lists.map(\.rawValue).joined(separator: ","))")
            }
        }
    }
}
