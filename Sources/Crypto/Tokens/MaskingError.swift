import Crypto
import Foundation

/// Why a value could not be masked.
public enum MaskingError: Error, Sendable, Equatable, CustomStringConvertible {
    case zeroValue
    case badKey

    public var description: String {
        switch self {
        case .zeroValue: "an all-zero (low-order) value was refused"
        case .badKey: "not a 32-byte X25519 private key"
        }
    }
}
