import Foundation
import Hummingbird
import NIOCore

/// How the alliance's listeners write a JSON answer: the value's `Encodable` form, keys in the order
/// the type encodes them (the documented field order; types that want sorted keys encode them sorted),
/// slashes not escaped, `Content-Type: application/json`.
package struct JSONAnswerEncoder: ResponseEncoder {
    package init() {}

    package func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let data = try Self.encoder.encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The bytes of `value` as an answer carries them.
    package static func bytes(_ value: some Encodable) throws -> [UInt8] { Array(try encoder.encode(value)) }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
