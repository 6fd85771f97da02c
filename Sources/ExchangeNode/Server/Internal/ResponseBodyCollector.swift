import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Reads a response's body back into bytes (at most `limit`), to rewrite a route's own refusal in the
/// contract's error shape.
struct ResponseBodyCollector: ResponseBodyWriter {
    final class Sink: Sendable {
        let bytes = Mutex<[UInt8]>([])
    }

    let sink: Sink
    let limit: Int

    static func bytes(of body: ResponseBody, limit: Int = 1 << 20) async -> [UInt8] {
        let sink = Sink()
        try? await body.write(ResponseBodyCollector(sink: sink, limit: limit))
        return sink.bytes.withLock { $0 }
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        sink.bytes.withLock { bytes in
            if bytes.count + buffer.readableBytes <= limit { bytes.append(contentsOf: buffer.readableBytesView) }
        }
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
