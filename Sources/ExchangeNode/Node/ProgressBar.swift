import Foundation

/// A one-line progress bar on standard error, shown only when it is a terminal.
package final class ProgressBar: @unchecked Sendable {
    private let label: String
    private var lastDrawn = Date.distantPast
    private let enabled: Bool

    package init(label: String) {
        self.label = label
        enabled = isatty(STDERR_FILENO) == 1
    }

    func update(done: Int, total: Int) {
        guard enabled, total > 0, Date().timeIntervalSince(lastDrawn) > 0.1 else { return }
        lastDrawn = Date()
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(Int(fraction * 100))%".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
