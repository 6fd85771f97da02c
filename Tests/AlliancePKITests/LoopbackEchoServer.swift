import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

@testable import AlliancePKI

func fileMode(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A loopback TLS echo server whose reply names the client's verified member id, as read on
/// handshake completion from the NIOSSL handler and as seen by the connection guard:
/// a client writing `ping\n` reads `<member id>:ping\n`.
final class LoopbackEchoServer: Sendable {
    let channel: any Channel
    var port: Int { channel.localAddress?.port ?? 0 }

    init(tls: AllianceTLSServer) async throws {
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try tls.addServerHandlers(to: channel.pipeline.syncOperations)
                    try channel.pipeline.syncOperations.addHandler(IdentityEchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
    }

    func close() async { try? await channel.close() }
}

/// Reads the peer identity once, when the handshake completes, and prefixes every echo with it.
private final class IdentityEchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var member = "unknown"

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            do {
                member = try PeerIdentity.ofVerifiedPeer(in: context.pipeline.syncOperations).memberID.rawValue
            } catch {
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let guarded = try? context.pipeline.syncOperations.handler(type: AllianceConnectionGuard.self).peerIdentity
        guard guarded?.memberID.rawValue == member else {
            context.close(promise: nil)
            return
        }
        var reply = context.channel.allocator.buffer(string: member + ":")
        var input = unwrapInboundIn(data)
        reply.writeBuffer(&input)
        context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
    }
}

/// Connects with `tls`, sends `ping\n`, and returns the first line the server sends back.
/// Throws when the handshake fails or the server closes without answering.
func loopbackExchange(port: Int, tls: TLSConfiguration) async throws -> String {
    let context = try NIOSSLContext(configuration: tls)
    let group = MultiThreadedEventLoopGroup.singleton
    let promise = group.next().makePromise(of: String.self)
    let connecting = ClientBootstrap(group: group)
        .connectTimeout(.seconds(5))
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
                try channel.pipeline.syncOperations.addHandler(LineCollector(promise: promise))
            }
        }
        .connect(host: "127.0.0.1", port: port)
    let channel: any Channel
    do {
        channel = try await connecting.get()
    } catch {
        promise.fail(error)
        throw error
    }
    channel.eventLoop.scheduleTask(in: .seconds(10)) { promise.fail(LoopbackClientError.timedOut) }
    channel.writeAndFlush(ByteBuffer(string: "ping\n"), promise: nil)
    defer { channel.close(promise: nil) }
    return try await promise.futureResult.get()
}

private final class LineCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<String>
    private var received = ""

    init(promise: EventLoopPromise<String>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readString(length: buffer.readableBytes) ?? ""
        if let newline = received.firstIndex(of: "\n") {
            promise.succeed(String(received[..<newline]))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(LoopbackClientError.closedWithoutReply)
        context.fireChannelInactive()
    }
}
