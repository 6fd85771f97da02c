import Crypto
import Foundation

/// Signs a delivery: `X-Exchange-Signature: v1=HEX` with HEX the lower-case hex of
/// HMAC-SHA256(secret, TIMESTAMP + "." + BODY), TIMESTAMP being `X-Exchange-Timestamp` (Unix seconds).
/// The `v1=` prefix leaves room for a second signature while a secret is rotated.
public struct WebhookSigner: Sendable {
    public static let timestampHeader = "X-Exchange-Timestamp"
    public static let signatureHeader = "X-Exchange-Signature"
    public static let webhookHeader = "X-Exchange-Webhook"

    private let key: SymmetricKey

    public init(secret: Data) {
        key = SymmetricKey(data: secret)
    }

    public func signature(timestamp: Int64, body: [UInt8]) -> String {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("\(timestamp).".utf8))
        mac.update(data: body)
        return "v1=" + mac.finalize().map { String(format: "%02x", $0) }.joined()  // TODO(merge): the shared hex encoder
    }
}
