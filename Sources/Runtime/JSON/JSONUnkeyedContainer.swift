/// The unkeyed container of ``JSONTreeEncoder``: an array, elements in order.
struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(node: JSONNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    private mutating func next() -> JSONNode {
        count += 1
        return node.element()
    }

    private mutating func append(_ value: JSONValue) { next().kind = .value(value) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try JSONNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { append(try JSONNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: Int8) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: Int16) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: Int32) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: Int64) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: UInt) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: UInt8) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: UInt16) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: UInt32) throws { append(JSONNode.number(value)) }
    mutating func encode(_ value: UInt64) throws { append(JSONNode.number(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws { try next().encode(value, codingPath: codingPath) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = next()
        child.beginObject()
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = next()
        child.beginArray()
        return JSONUnkeyedContainer(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { JSONTreeEncoder(node: next(), codingPath: codingPath) }
}
