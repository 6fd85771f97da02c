import ExchangeProtocol
import Foundation
import Logging

/// A swift-log handler appending one line per message to a file (`O_APPEND`, one `write(2)` per
/// line), so the coordinator's log can be kept in its home and searched. Lines read
/// `2026-11-23T20:26:03.298Z notice refused report member=gamma-pay reason=bad-signature`.
package struct FileLogHandler: LogHandler {
    /// The open file, shared by the copies swift-log makes of the handler.
    package final class Sink: Sendable {
        let descriptor: Int32

        package init(path: String) throws(FileError) {
            let directory = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
            guard descriptor >= 0 else { throw FileError(.unwritable, path: path, reason: String(cString: strerror(errno))) }
        }

        func write(_ line: String) {
            var bytes = Array(line.utf8)
            bytes.append(UInt8(ascii: "\n"))
            _ = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        }

        deinit { close(descriptor) }
    }

    let sink: Sink
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]

    package init(sink: Sink) { self.sink = sink }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var line = ISO8601.format(millis: NodeClock.nowMillis()) + " \(event.level) \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        sink.write(line)
    }
}
