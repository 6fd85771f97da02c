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
        static let configuration = CommandConfiguration(
            abstract: "Expel a member: revoke its certificate, start a token-key changeover, publish the policy for its entries.",
            discussion: """
                In one step (docs/membership.md): the member's certificate is revoked in the CA folder and the re-signed \
                revocation list is served at GET /v1/revocations; under the keyed-hash scheme a token-key changeover \
                starts (every node moves to a new epoch the member does not get); the member leaves the registry and is \
                listed as expelled in GET /v1/membership with the policy for its entries: keep (they stay until they \
                expire) or withdraw (every node withdraws them and retracts its matches against them). Every node \
                stops exchanging with it at the start of its next sync round. Re-running it finishes an interrupted \
                removal without doing anything twice.
                """
        )

        @OptionGroup var options: CoordinatorHomeOption

        @Option(name: .long, help: "The member id.")
        var member: String

        @Option(name: .long, help: "keep or withdraw its entries (default: the alliance's expelled_entries, keep).")
        var entries: ExpelledEntries?

        @Option(name: .long, help: "Changeover deadline (keyed-hash; default \(ChangeoverDeadline.defaultSpec)).")
        var deadline: String = ChangeoverDeadline.defaultSpec

        @Option(name: .customLong("ca-dir"), help: "The CA folder (default: the coordinator's ca_directory).")
        var caDirectory: String?

        func run() async throws {
            let now = NodeClock.nowMillis()
            guard let at = ChangeoverDeadline.parse(deadline, now: now) else {
                throw ValidationError("--deadline: expected now, a duration such as 7d, 12h, 30m, 90s, or a UTC time such as 2026-08-08T09:00:00Z")
            }
            let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
            let outcome = try MemberExpulsion(coordinator: context).run(member: member, entries: entries, deadline: at,
                                                                         caDirectory: caDirectory, now: now)
            try? context.audit.flush()
            let list = outcome.revocation.list
            print("""
                \(outcome.revocation.alreadyRevoked ? "the certificate of \(member) was already revoked" : "revoked the certificate of \(member)") \
                (serial \(outcome.revocation.serialHex)); revocation list re-signed (\(list.serials.count) serial(s), issued \(list.issued)), \
                served at GET /v1/revocations
                """)
            if let rotation = outcome.rotation {
                print("token key epoch \(rotation.key.epoch) created (fingerprint \(rotation.key.fingerprint)); changeover deadline \(ISO8601.format(millis: rotation.deadline))")
            } else if let epoch = outcome.earlierEpoch {
                print("token key epoch \(epoch) was already created for this removal; no new changeover")
            }
            if let policy = outcome.entries {
                let what = policy == .withdraw ? "every node withdraws them and retracts its matches against them" : "they stay until they expire"
                print("\(member) removed from the membership; its entries: \(policy.rawValue) (\(what))")
                print("every node stops exchanging with \(member) at the start of its next sync round")
            } else {
                print("\(member) removed from the membership (\(outcome.role.rawValue))")
            }
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

extension ExpelledEntries: ExpressibleByArgument {}
