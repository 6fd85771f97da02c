import Foundation

/// One node of the alliance under test: its member id, home directory and loopback ports.
package struct TestNode: Sendable {
    package let member: String
    package let home: URL
    package let peerPort: Int
    package let internalPort: Int

    package init(member: String, home: URL, peerPort: Int, internalPort: Int) {
        self.member = member
        self.home = home
        self.peerPort = peerPort
        self.internalPort = internalPort
    }

    package var peerURL: String { "https://127.0.0.1:\(peerPort)" }
    package var internalURL: String { "http://127.0.0.1:\(internalPort)" }
    package var storePath: String { home.appending(path: "store.sqlite").path }

    /// The bearer token of the node's internal API, as `init` wrote it.
    package func internalToken() throws -> String {
        try String(contentsOf: home.appending(path: "keys/internal-api.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
