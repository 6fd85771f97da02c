import Crypto
import ExchangeCrypto
import Foundation

/// Signs a delivery: `X-Exchange-Signature: v1=HEX` with HEX the lower-case hex of
/// HMAC-SHA256(secret, TIMESTAMP + "." + BODY), TIMESTAMP being `X-Exchange-Timestamp` (Unix seconds).
/// The `v1=` prefix leaves room for a second signature while a secret is rotated.
package struct WebhookSigner: Sendable {
    package static let timestampHeader = "X-Exchange-Timestamp"
    package static let signatureHeader = "X-Exchange-Signature"
    package static let webhookHeader = "X-Exchange-Webhook"

    private let key: SymmetricKey

    package init(secret: Data) {
        key = SymmetricKey(data: secret)
    }

    package func signature(timestamp: Int64, body: [UInt8]) -> String {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("\(timestamp).".utf8))
        mac.update(data: body)
        return "v1=" + Hex.encode(mac.finalize())
    }
}
