import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

@testable import AlliancePKI
@testable import ExchangeNode

/// Sends arbitrary bytes (not necessarily HTTP) to a node's mTLS listener as an alliance member and
/// collects whatever comes back until the server closes or `wait` passes: for malformed and truncated
/// requests curl cannot produce.
enum RawTLSClient {
    /// Connects as the member whose certificate is in `caDirectory/members/member`, writes `bytes`
    /// (then, when `halfClose`, shuts the write side as a client that hangs up mid-request would),
    /// and returns what the server answered.
    static func exchange(
        port: Int, caDirectory: URL, member: String, bytes: [UInt8], halfClose: Bool = false, wait: Duration = .seconds(3)
    ) async throws -> [UInt8] {
        let dir = caDirectory.appending(path: "members/\(member)")
        let tls = MTLSConfiguration.client(
            certificate: try FakePeer.certificate(dir.appending(path: "cert.pem").path),
            key: try NIOSSLPrivateKey(file: dir.appending(path: "key.pem").path, format: .pem),
            ca: try FakePeer.certificate(caDirectory.appending(path: "ca.pem").path))
        let context = try NIOSSLContext(configuration: tls)
        let collector = RawCollector()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: nil))
                    try channel.pipeline.syncOperations.addHandler(RawCollectorHandler(collector: collector))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(channel.allocator.buffer(bytes: bytes)).get()
        if halfClose { try? await channel.close(mode: .output).get() }
        let deadline = ContinuousClock.now.advanced(by: wait)
        while ContinuousClock.now < deadline, !collector.closed { try await Task.sleep(for: .milliseconds(20)) }
        try? await channel.close().get()
        return collector.bytes
    }
}

private final class RawCollectorHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let collector: RawCollector

    init(collector: RawCollector) { self.collector = collector }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        collector.append(buffer.readBytes(length: buffer.readableBytes) ?? [])
    }

    func channelInactive(context: ChannelHandlerContext) { collector.close() }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event as? ChannelEvent ?? .outputClosed { collector.close() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        collector.close()
        context.close(promise: nil)
    }
}
