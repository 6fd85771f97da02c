import Foundation

/// One value under construction while ``JSONTreeEncoder`` walks an `Encodable`: a finished value, or an
/// object or array whose members nested containers are still adding.
final class JSONNode {
    enum Kind {
        case value(JSONValue)
        case object([(key: String, node: JSONNode)])
        case array([JSONNode])
    }

    var kind: Kind = .value(.null)

    /// The finished value.
    var value: JSONValue {
        switch kind {
        case .value(let value): value
        case .object(let members): .object(members.map { (key: $0.key, value: $0.node.value) })
        case .array(let elements): .array(elements.map(\.value))
        }
    }

    /// Makes this node an object (keeping members already added) and adds `key` (replacing an earlier one).
    func member(_ key: String) -> JSONNode {
        var members: [(key: String, node: JSONNode)] = []
        if case .object(let existing) = kind { members = existing }
        let node = JSONNode()
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].node = node
        } else {
            members.append((key, node))
        }
        kind = .object(members)
        return node
    }

    /// Makes this node an array (keeping elements already added) and appends an element.
    func element() -> JSONNode {
        var elements: [JSONNode] = []
        if case .array(let existing) = kind { elements = existing }
        let node = JSONNode()
        elements.append(node)
        kind = .array(elements)
        return node
    }

    func beginObject() { if case .object = kind {} else { kind = .object([]) } }
    func beginArray() { if case .array = kind {} else { kind = .array([]) } }

    /// Encodes `value` into this node: Data as base64 (as JSONEncoder does), everything else by its
    /// own `encode(to:)`.
    func encode(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        if let data = value as? Data {
            kind = .value(.string(data.base64EncodedString()))
        } else if let url = value as? URL {
            kind = .value(.string(url.absoluteString))
        } else {
            try value.encode(to: JSONTreeEncoder(node: self, codingPath: codingPath))
        }
    }

    static func number(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    static func number(_ value: some BinaryFloatingPoint & LosslessStringConvertible, codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "not a finite number"))
        }
        return .number(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
    }
}
