import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

@testable import AlliancePKI
@testable import ExchangeNode

/// What the raw client received.
final class RawCollector: Sendable {
    private let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))
    var bytes: [UInt8] { state.withLock { $0.bytes } }
    var closed: Bool { state.withLock { $0.closed } }
    func append(_ more: [UInt8]) { state.withLock { $0.bytes += more } }
    func close() { state.withLock { $0.closed = true } }
}
