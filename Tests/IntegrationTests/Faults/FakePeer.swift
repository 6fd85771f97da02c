import AllianceTestSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

@testable import AlliancePKI
@testable import ExchangeNode

/// A misbehaving alliance peer for fault tests: a real mTLS listener with a member certificate from the
/// test alliance's CA (so the node's TLS client accepts it), behind which each HTTP request gets whatever
/// the test scripts — a good answer, garbage, a reset connection, silence, or a response that trickles.
final class FakePeer: Sendable {
    /// One request as the fake peer read it.
    struct Request: Sendable {
        let method: String
        let path: String
        let query: [String: String]
    }

    /// What the fake peer does with a request.
    enum Reply: Sendable {
        /// A well-formed HTTP response.
        case http(status: Int, contentType: String, body: [UInt8])
        /// Bytes that are not HTTP at all, then close.
        case raw([UInt8])
        /// Close the TCP connection with a reset (SO_LINGER 0), without answering.
        case reset
        /// Never answer (the connection stays open).
        case stall
        /// A response head announcing `body.count` bytes, then the body `chunk` bytes at a time, one chunk per `interval`.
        case trickle(contentType: String, body: [UInt8], chunk: Int, interval: Duration)
    }

    typealias Script = @Sendable (Request) -> Reply

    let port: Int
    private let channel: any Channel
    private let state: FakePeerState

    /// Listens on loopback (`port`, or a free one when 0) with `member`'s certificate from `caDirectory/members/member`.
    init(caDirectory: URL, member: String, port requestedPort: Int = 0, script: @escaping Script) async throws {
        let dir = caDirectory.appending(path: "members/\(member)")
        let tls = MTLSConfiguration.server(
            certificate: try Self.certificate(dir.appending(path: "cert.pem").path),
            key: try NIOSSLPrivateKey(file: dir.appending(path: "key.pem").path, format: .pem),
            ca: try Self.certificate(caDirectory.appending(path: "ca.pem").path))
        let context = try NIOSSLContext(configuration: tls)
        let state = FakePeerState(script: script)
        self.state = state
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.addHandler(FakePeerHandler(script: state.handle))
                }
            }
            .bind(host: "127.0.0.1", port: requestedPort).get()
        port = channel.localAddress?.port ?? 0
    }

    var url: String { "https://127.0.0.1:\(port)" }

    /// The first certificate of a PEM file.
    static func certificate(_ path: String) throws -> NIOSSLCertificate {
        guard let first = try NIOSSLCertificate.fromPEMFile(path).first else { throw HarnessError("\(path) holds no certificate") }
        return first
    }

    /// Replaces the script (the peer "heals" or changes its fault).
    func set(_ script: @escaping Script) { state.script.withLock { $0 = script } }

    /// Every request received so far, with when it arrived.
    var requests: [(at: ContinuousClock.Instant, request: Request)] { state.log.withLock { $0 } }

    func stop() async {
        try? await channel.close()
    }
}

/// Reads HTTP/1.1 request heads (no bodies: the node only sends GETs to peers) and answers by script.
private final class FakePeerHandler: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: used only on its channel's event loop.
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let script: @Sendable (FakePeer.Request) -> FakePeer.Reply
    private var pending: [UInt8] = []
    private var stalled = false

    init(script: @escaping @Sendable (FakePeer.Request) -> FakePeer.Reply) { self.script = script }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while !stalled, let end = headEnd() {
            let head = String(decoding: pending[..<end], as: UTF8.self)
            pending.removeFirst(end + 4)
            answer(parse(head), context: context)
        }
    }

    private func headEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func parse(_ head: String) -> FakePeer.Request {
        let line = head.split(separator: "\r\n", maxSplits: 1).first.map(String.init) ?? ""
        let parts = line.split(separator: " ")
        let target = parts.count > 1 ? String(parts[1]) : "/"
        let components = URLComponents(string: target)
        var query: [String: String] = [:]
        for item in components?.queryItems ?? [] { query[item.name] = item.value ?? "" }
        return FakePeer.Request(method: parts.first.map(String.init) ?? "", path: components?.path ?? target, query: query)
    }

    private func answer(_ request: FakePeer.Request, context: ChannelHandlerContext) {
        switch script(request) {
        case .http(let status, let contentType, let body):
            write(Self.head(status: status, contentType: contentType, length: body.count) + body, context: context)
        case .raw(let bytes):
            write(bytes, context: context)
            context.close(promise: nil)
        case .reset:
            stalled = true
            if let socket = context.channel as? any SocketOptionProvider {
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in bound.value.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
        case .stall:
            stalled = true
        case .trickle(let contentType, let body, let chunk, let interval):
            stalled = true  // one trickled response per connection, which then closes
            write(Self.head(status: 200, contentType: contentType, length: body.count, close: true), context: context)
            trickle(ArraySlice(body), chunk: max(1, chunk), interval: interval, context: context)
        }
    }

    private func trickle(_ rest: ArraySlice<UInt8>, chunk: Int, interval: Duration, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard !rest.isEmpty else { return context.close(promise: nil) }
        let nanoseconds = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: .nanoseconds(nanoseconds)) { [self] in
            write(Array(rest.prefix(chunk)), context: bound.value)
            trickle(rest.dropFirst(chunk), chunk: chunk, interval: interval, context: bound.value)
        }
    }

    private func write(_ bytes: [UInt8], context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: bytes)), promise: nil)
    }

    private static func head(status: Int, contentType: String, length: Int, close: Bool = false) -> [UInt8] {
        Array("HTTP/1.1 \(status) X\r\nContent-Type: \(contentType)\r\nContent-Length: \(length)\r\n\(close ? "Connection: close\r\n" : "")\r\n".utf8)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
