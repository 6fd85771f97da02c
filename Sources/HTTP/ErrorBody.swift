import Foundation
import Hummingbird

/// The JSON body every refusal carries, on the node's listeners and the coordinator's: `{"error": "..."}`.
/// The message names the parameter or the rule, never an identifier.
package struct ErrorBody: Codable, Sendable, ResponseEncodable {
    package let error: String

    package init(_ message: String) { error = message }

    /// The message in a peer's error body, for the caller's own error ("(no message)" when there is none).
    package static func message(in body: [UInt8]) -> String {
        (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)))?.error ?? "(no message)"
    }
}
