import Foundation

/// One value under construction while ``JSONTreeEncoder`` walks an `Encodable`: a finished value, or an
/// object or array whose members nested containers are still adding.
final class JSONNode {
    enum Kind {
        case value(JSONValue)
        case object([(key: String, node: JSONNode)])
        case array([JSONNode])
    }

    private enum Shape { case value, object, array }

    // Kept apart (not inside one enum payload) so that appending to a long array or object is amortised
    // O(1): an enum payload would be copied on every append.
    private var shape = Shape.value
    private var scalar = JSONValue.null
    private var members: [(key: String, node: JSONNode)] = []
    private var elements: [JSONNode] = []

    var kind: Kind {
        get {
            switch shape {
            case .value: .value(scalar)
            case .object: .object(members)
            case .array: .array(elements)
            }
        }
        set {
            members = []
            elements = []
            switch newValue {
            case .value(let value):
                shape = .value
                scalar = value
            case .object(let newMembers):
                shape = .object
                members = newMembers
            case .array(let newElements):
                shape = .array
                elements = newElements
            }
        }
    }

    /// The finished value.
    var value: JSONValue {
        switch shape {
        case .value: scalar
        case .object: .object(members.map { (key: $0.key, value: $0.node.value) })
        case .array: .array(elements.map(\.value))
        }
    }

    /// Makes this node an object (keeping members already added) and adds `key` (replacing an earlier one).
    func member(_ key: String) -> JSONNode {
        beginObject()
        let node = JSONNode()
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].node = node
        } else {
            members.append((key, node))
        }
        return node
    }

    /// Makes this node an array (keeping elements already added) and appends an element.
    func element() -> JSONNode {
        beginArray()
        let node = JSONNode()
        elements.append(node)
        return node
    }

    func beginObject() { if shape != .object { kind = .object([]) } }
    func beginArray() { if shape != .array { kind = .array([]) } }

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
