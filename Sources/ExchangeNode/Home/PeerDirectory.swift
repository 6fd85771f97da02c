import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// The peers directory of a home.
public struct PeerDirectory: Sendable {
    public let peers: [String: PeerConfig]

    public static func load(from home: NodeHome) throws(NodeError) -> PeerDirectory {
        let directory = home.peersDirectory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            return PeerDirectory(peers: [:])
        }
        var peers = [String: PeerConfig]()
        for name in names.sorted() where name.hasSuffix(".json") {
            let peer = try NodeError.files(JSONFile.read(PeerConfig.self, from: directory.appendingPathComponent(name)))
            peers[peer.member] = peer
        }
        return PeerDirectory(peers: peers)
    }

    public func save(_ peer: PeerConfig, to home: NodeHome) throws(NodeError) {
        try NodeError.files(JSONFile.write(peer, to: home.peerFile(peer.member)))
    }

    public var nodes: [PeerConfig] { peers.values.filter { $0.role == .node }.sorted { $0.member < $1.member } }
    public var coordinator: PeerConfig? { peers.values.first { $0.role == .coordinator } }

    package init(peers: [String: PeerConfig]) {
        self.peers = peers
    }
}
