import ExchangeAudit
import Foundation
import Hummingbird

/// `POST /v1/keys/rotate` (internal listener, bearer token; docs/membership.md, 4): rotates this node's
/// pairwise key inside the running `serve`, exactly as `keys rotate` does, and answers what it did.
/// The rotation blocks on the store and on X25519, so it runs off the server's event loops.
struct KeysRotateRoute {
    let context: NodeContext

    func rotate() async -> Response {
        guard context.config.scheme == .ecdhX25519 else {
            return APIError(.notApplicable, "this node uses the keyed-hash scheme: the alliance token key is rotated by the coordinator").response
        }
        let context = context
        let result = await Task.detached { () -> Result<PairwiseKeyRotation.Outcome, NodeError> in
            do throws(NodeError) {
                var rotation = PairwiseKeyRotation(context: context)
                rotation.auditRole = .internal
                return .success(try rotation.rotate())
            } catch {
                return .failure(error)
            }
        }.value
        switch result {
        case .success(let outcome):
            return APIResponse.json(KeysRotated(fromEpoch: outcome.fromEpoch, toEpoch: outcome.toEpoch, ownEntries: outcome.ownEntries,
                                                peerEntries: outcome.peerEntries, transactionMillis: outcome.transactionMillis))
        case .failure(let error):
            context.logger.error("key rotation through the internal API failed", metadata: ["error": "\(error.description)"])
            return error.code == .configuration
                ? APIError(.notApplicable, error.message).response
                : APIError(.internal, "the rotation failed; nothing was rotated").response
        }
    }
}
