import AllianceTestSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

@testable import AlliancePKI
@testable import ExchangeNode

/// The fake peer's script and the log of what it received, shared with its connections' handlers.
final class FakePeerState: Sendable {
    let script: Mutex<FakePeer.Script>
    let log = Mutex<[(at: ContinuousClock.Instant, request: FakePeer.Request)]>([])

    init(script: @escaping FakePeer.Script) { self.script = Mutex(script) }

    func handle(_ request: FakePeer.Request) -> FakePeer.Reply {
        log.withLock { $0.append((at: ContinuousClock.now, request: request)) }
        return script.withLock { $0 }(request)
    }
}
