import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// A tiny JSON value with a deterministic, fast encoder (keys in insertion order given by the caller's sorting).
enum OutboxValue: Sendable {
    case string(String)
    case int(Int)
    case strings([String])
    case null
    case object([String: OutboxValue])

    var json: String {
        switch self {
        case .string(let text): return JSONText.quote(text)
        case .int(let value): return String(value)
        case .null: return "null"
        case .strings(let values): return "[" + values.map(JSONText.quote).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { JSONText.quote($0.key) + ":" + $0.value.json }.joined(separator: ",") + "}"
        }
    }
}
