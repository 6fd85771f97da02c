import AlliancePKI
import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `exchange-node coordinator member add|remove|list|import`: the membership registry.
struct CoordinatorMemberCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member",
        abstract: "Manage the membership registry (members.json).",
        subcommands: [Add.self, Remove.self, List.self, Import.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register (or replace) a node or an operator.")

        @OptionGroup var options: CoordinatorHomeOption

        @Option(name: .long, help: "The member id (as in its certificate).")
        var member: String

        @Option(name: .long, help: "node (an exchange node) or operator (may read the dashboard).")
        var role: MemberRole = .node

        @Option(name: .long, help: "A node's peer-listener URL, https://HOST:PORT.")
        var url: String?

        @Option(name: .long, help: "Lists the node may receive (comma-separated: black,watch,red).")
        var lists: String = "black,watch,red"

        func run() async throws {
            let parsed = try lists.split(separator: ",").map { name -> ListKind in
                guard let list = ListKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("unknown list '\(name)' (black, watch, red)")
                }
                return list
            }
            let entry = try MembershipRegistry.validated(member: member, role: role, url: url, lists: parsed)
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            var registry = try context.registry()
            let replaced = registry.member(member) != nil
            registry.upsert(entry)
            try registry.save(to: context.home)
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: replaced ? .peerChange : .peerAdd,
                                            outcome: .ok, detail: ["member": .member(member), "role": .code(role.rawValue)]))
            try? context.audit.flush()
            print("\(replaced ? "replaced" : "registered") \(member) (\(role.rawValue)\(entry.url.map { " at \($0)" } ?? ""))")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a member from the registry (revoke its certificate with `certs revoke` too).")

        @OptionGroup var options: CoordinatorHomeOption

        @Option(name: .long, help: "The member id.")
        var member: String

        func run() async throws {
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            var registry = try context.registry()
            guard registry.remove(member) else { throw ValidationError("no member '\(member)' in the registry") }
            try registry.save(to: context.home)
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: .peerRemove, outcome: .ok,
                                            detail: ["member": .member(member)]))
            try? context.audit.flush()
            print("removed \(member)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered members.")

        @OptionGroup var options: CoordinatorHomeOption

        func run() async throws {
            let registry = try MembershipRegistry.load(from: options.coordinatorHome)
            for entry in registry.members {
                let lists = entry.role == .node ? " lists " + entry.lists.map(\.rawValue).joined(separator: ",") : ""
                print("\(entry.member)  \(entry.role.rawValue)  \(entry.url ?? "-")\(lists)")
            }
            if registry.members.isEmpty { print("no members registered") }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register every node of a peers folder (peers/*.json, as nodes use).")

        @OptionGroup var options: CoordinatorHomeOption

        @Option(name: .long, help: "A folder of peer files (PeerConfig JSON).")
        var peers: String

        func run() async throws {
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            var registry = try context.registry()
            let names = try FileManager.default.contentsOfDirectory(atPath: peers).filter { $0.hasSuffix(".json") }.sorted()
            var added = 0
            for name in names {
                let peer = try JSONFile.read(PeerConfig.self, from: URL(fileURLWithPath: peers).appendingPathComponent(name))
                guard peer.role == .node else { continue }
                registry.upsert(try MembershipRegistry.validated(member: peer.member, role: .node, url: peer.url, lists: peer.lists))
                context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: .peerAdd, outcome: .ok,
                                                detail: ["member": .member(peer.member), "role": .code("node")]))
                added += 1
            }
            try registry.save(to: context.home)
            try? context.audit.flush()
            print("registered \(added) node(s) from \(peers); the registry holds \(registry.members.count) member(s)")
        }
    }
}
