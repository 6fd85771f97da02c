import AlliancePKI
import ExchangeCrypto
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// A complete alliance in one folder on loopback: a CA, and one node home per member, each knowing
/// the others as peers at free local ports. Used by the benchmarks (and tests) to get real nodes
/// with real certificates without any manual set-up.
package struct LoopbackAlliance {
    package let root: URL
    let ca: AllianceDirectory
    package let ports: [String: Int]
    package let contexts: [String: NodeContext]

    package static func create(root: URL, members: [String], alliance: String = "Loopback", scheme: TokenSchemeID = .keyedHash) throws -> LoopbackAlliance {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let ca = AllianceDirectory(root.appendingPathComponent("ca").path)
        _ = try ca.initialise(allianceName: alliance)
        var ports: [String: Int] = [:]
        for member in members {
            ports[member] = try FreePort.find()
            _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID(member), ipAddresses: ["127.0.0.1"]))
            let config = NodeConfig(member: member, alliance: alliance, listen: "127.0.0.1:\(ports[member]!)",
                                    internalListen: "127.0.0.1:\(try FreePort.find())", scheme: scheme)
            try NodeSetup.create(home: NodeHome(root.appendingPathComponent(member).path), config: config,
                                 certificatesFolder: URL(fileURLWithPath: ca.root))
        }
        var contexts: [String: NodeContext] = [:]
        for member in members {
            let home = NodeHome(root.appendingPathComponent(member).path)
            for other in members where other != member {
                try PeerDirectory(peers: [:]).save(PeerConfig(member: other, url: "https://127.0.0.1:\(ports[other]!)"), to: home)
            }
            contexts[member] = try NodeContext(home: home)
        }
        return LoopbackAlliance(root: root, ca: ca, ports: ports, contexts: contexts)
    }
}

