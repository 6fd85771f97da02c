import ExchangeProtocol
import Foundation
import Hummingbird

/// Appeal ids are UUIDs; they are compared in lower case.
package enum AppealID {
    package static func make() -> String { UUID().uuidString.lowercased() }

    /// The lower-cased id, or nil when `text` is not a UUID.
    package static func normalise(_ text: String) -> String? {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else { return nil }
        return uuid.uuidString.lowercased()
    }
}
