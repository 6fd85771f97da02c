import ExchangeProtocol
import Foundation
import Logging

/// The executable's log handler: standard error, in the ``LogFormat`` in force when each line is
/// written. `text` is swift-log's `StreamLogHandler` line; `json` is one object per line:
/// `{"timestamp":"2026-12-07T00:31:26.123Z","level":"notice","label":"exchange-node",
/// "message":"peer listener running","metadata":{"member":"alpha","port":"7443"},"source":"ExchangeNode"}`.
/// Metadata carries member ids, counts and codes only (never an identifier), as in text.
package struct StandardErrorLogHandler: LogHandler {
    private var text: StreamLogHandler
    private let label: String
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level {
        get { text.logLevel }
        set { text.logLevel = newValue }
    }

    package init(label: String, level: Logger.Level) {
        self.label = label
        text = StreamLogHandler.standardError(label: label)
        text.logLevel = level
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        switch LogFormat.current {
        case .text:
            var text = self.text
            text.metadata = metadata
            text.log(event: event)
        case .json:
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let line = JSONLogLine(
                timestamp: ISO8601.format(millis: NodeClock.nowMillis()), level: event.level.rawValue, label: label,
                message: event.message.description, metadata: merged.mapValues(JSONLogLine.Value.init),
                source: event.source)
            Self.write(line)
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func write(_ line: JSONLogLine) {
        guard var bytes = try? [UInt8](encoder.encode(line)) else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }
}

/// One JSON log line.
struct JSONLogLine: Encodable {
    let timestamp: String
    let level: String
    let label: String
    let message: String
    let metadata: [String: Value]
    let source: String

    /// A metadata value: a string, or nested metadata.
    enum Value: Encodable {
        case string(String)
        case array([Value])
        case object([String: Value])

        init(_ value: Logger.Metadata.Value) {
            switch value {
            case .string(let text): self = .string(text)
            case .stringConvertible(let item): self = .string(item.description)
            case .array(let items): self = .array(items.map(Value.init))
            case .dictionary(let items): self = .object(items.mapValues(Value.init))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .array(let items): try container.encode(items)
            case .object(let items): try container.encode(items)
            }
        }
    }
}
