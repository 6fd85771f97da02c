import Foundation

/// A fresh temporary folder, removed by `cleanUp()` (for tests that need a folder, not an alliance).
package struct TemporaryDirectory {
    package let path: String

    package init() throws {
        path = NSTemporaryDirectory() + "exchange-node-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    package func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}
