import AllianceHTTP
import ExchangeCrypto
import ExchangeProtocol
import Foundation

/// The node's calls to its coordinator about membership (over alliance mTLS, as a node): the
/// membership document and the token key of an epoch.
package struct CoordinatorLink: Sendable {
    /// `https://HOST:PORT`.
    let url: String
    let client: PeerClient

    package init(url: String, client: PeerClient) {
        self.url = url
        self.client = client
    }

    /// `GET /v1/membership`, decoded.
    func membership() async throws(NodeError) -> AllianceMembership {
        let (status, body) = try await client.call(.GET, url + "/v1/membership", limit: 4 << 20)
        guard status == 200 else {
            throw .peer(member: "coordinator", reason: "membership answered HTTP \(status): \(ErrorBody.message(in: body))")
        }
        do {
            return try JSONDecoder().decode(AllianceMembership.self, from: Data(body))
        } catch {
            throw .peer(member: "coordinator", reason: "the membership document does not decode")
        }
    }

    /// `GET /v1/token-key?epoch=N`; its epoch must be N and, when known, its fingerprint the one the
    /// membership document announced.
    func tokenKey(epoch: UInt32, expectedFingerprint: String?) async throws(NodeError) -> AllianceTokenKey {
        let (status, body) = try await client.call(.GET, url + "/v1/token-key?epoch=\(epoch)", limit: 64 << 10)
        guard status == 200 else {
            throw .peer(member: "coordinator", reason: "token key epoch \(epoch) answered HTTP \(status): \(ErrorBody.message(in: body))")
        }
        guard let key = try? JSONDecoder().decode(AllianceTokenKey.self, from: Data(body)), key.epoch == epoch,
              key.scheme == .keyedHash, key.key.count == 32 else {
            throw .peer(member: "coordinator", reason: "the token key it sent for epoch \(epoch) is not a key of that epoch")
        }
        if let expectedFingerprint, key.fingerprint != expectedFingerprint {
            throw .peer(member: "coordinator", reason: "the token key it sent for epoch \(epoch) does not have the announced fingerprint")
        }
        return key
    }
}
