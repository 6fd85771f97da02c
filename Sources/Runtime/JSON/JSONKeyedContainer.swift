/// The keyed container of ``JSONTreeEncoder``: members in the order they are encoded.
struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { node.member(key.stringValue).kind = .value(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try JSONNode.number(value, codingPath: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try JSONNode.number(value, codingPath: codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(JSONNode.number(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(JSONNode.number(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.member(key.stringValue).encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.member(key.stringValue)
        child.beginObject()
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.member(key.stringValue)
        child.beginArray()
        return JSONUnkeyedContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        JSONTreeEncoder(node: node.member("super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONTreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}
