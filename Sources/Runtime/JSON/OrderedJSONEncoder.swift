/// Encodes an `Encodable` value as compact JSON whose objects keep the field order the value's
/// `encode(to:)` writes (the documented order of a `screen` line, say), or with every object's keys
/// sorted. Strings are escaped as ``JSONText`` does (slashes and non-ASCII text are not escaped), so
/// the bytes are the same as the hand-built JSON the node wrote before.
///
/// Foundation's `JSONEncoder` on Linux does not keep the order of keys, so the order of an answer's
/// fields would otherwise change from run to run.
package struct OrderedJSONEncoder: Sendable {
    /// Sorts every object's keys (what `JSONEncoder`'s `.sortedKeys` gives) instead of keeping their order.
    package var sortedKeys: Bool

    package init(sortedKeys: Bool = false) {
        self.sortedKeys = sortedKeys
    }

    package func string(_ value: some Encodable) throws -> String {
        let root = JSONNode()
        try root.encode(value, codingPath: [])
        var out = ""
        root.value.write(to: &out, sortedKeys: sortedKeys)
        return out
    }

    package func bytes(_ value: some Encodable) throws -> [UInt8] { Array(try string(value).utf8) }
}
