import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS
import Testing

@testable import AlliancePKI

enum LoopbackClientError: Error {
    case closedWithoutReply
    case timedOut
}
