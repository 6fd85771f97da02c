import ExchangeRuntime
import Hummingbird
import NIOCore

/// How the alliance's listeners write a JSON answer: the value's `Encodable` form through
/// ``ExchangeRuntime/OrderedJSONEncoder`` — keys sorted, unless the value is ``ExchangeRuntime/FieldOrderedJSON``
/// (then in the order it writes them) — slashes and non-ASCII text not escaped, `Content-Type: application/json`.
package struct JSONAnswerEncoder: ResponseEncoder {
    package init() {}

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try Self.bytes(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The bytes of `value` as an answer carries them.
    package static func bytes(_ value: some Encodable) throws -> [UInt8] {
        try OrderedJSONEncoder(sortedKeys: !(value is any FieldOrderedJSON)).bytes(value)
    }
}
