/// The single-value container of ``JSONTreeEncoder``.
struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue) { node.kind = .value(value) }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try JSONNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: Int8) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: Int16) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: Int32) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: Int64) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: UInt) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: UInt8) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: UInt16) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: UInt32) throws { set(JSONNode.number(value)) }
    mutating func encode(_ value: UInt64) throws { set(JSONNode.number(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value, codingPath: codingPath) }
}
