import Foundation

/// The coordinator of the alliance under test: its member id, home directory and loopback port.
package struct TestCoordinator: Sendable {
    package let member: String
    package let home: URL
    package let port: Int

    package init(member: String, home: URL, port: Int) {
        self.member = member
        self.home = home
        self.port = port
    }

    package var url: String { "https://127.0.0.1:\(port)" }
}
