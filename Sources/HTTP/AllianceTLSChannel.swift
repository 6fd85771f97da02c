import AlliancePKI
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// Hummingbird child channel that puts the alliance mTLS handler (``AllianceTLSServer``: CA-only
/// trust, member identity required, revoked serials refused during the handshake) in front of
/// the HTTP/1 channel. The same shape as HummingbirdTLS's `TLSChannel`, with our handler.
package struct AllianceTLSChannel<BaseChannel: ServerChildChannel>: ServerChildChannel {
    package typealias Value = BaseChannel.Value

    let tls: AllianceTLSServer
    var baseChannel: BaseChannel

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try tls.addServerHandlers(to: channel.pipeline.syncOperations)
        }.flatMap {
            baseChannel.setup(channel: channel, logger: logger)
        }
    }

    package func handle(value: BaseChannel.Value, logger: Logger) async {
        await baseChannel.handle(value: value, logger: logger)
    }
}

extension AllianceTLSChannel: HTTPChannelHandler where BaseChannel: HTTPChannelHandler {
    package var responder: HTTPChannelHandler.Responder { baseChannel.responder }
}

extension HTTPServerBuilder {
    /// HTTP/1 behind the alliance mTLS handler.
    package static func allianceTLS(_ tls: AllianceTLSServer) -> HTTPServerBuilder {
        .init { responder in
            AllianceTLSChannel(tls: tls, baseChannel: HTTP1Channel(responder: responder))
        }
    }
}
