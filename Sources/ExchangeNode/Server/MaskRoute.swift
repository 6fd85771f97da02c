import AllianceHTTP
import ExchangeAudit
import ExchangeProtocol
import Hummingbird
import NIOCore

/// `POST /v1/mask` (role: peer; pairwise scheme only): see ``MaskingService``.
struct MaskRoute {
    let node: NodeRuntime

    func register(on router: Router<PeerRequestContext>) {
        router.post("/v1/mask") { request, context in
            guard let caller = context.caller, caller.role == .peer, let peer = caller.peer else {
                node.context.audit.append(AuditEvent(actor: context.caller?.member ?? AuditEvent.unknownActor,
                                                     role: context.caller?.role.auditRole ?? .peer, action: .request,
                                                     outcome: .refused, detail: ["path": .code("/v1/mask"), "status": .count(403)]))
                throw RequestRefused(.forbidden, "only peer nodes may ask for masking")
            }
            guard let key = node.context.keys.pairwiseKey else {
                throw RequestRefused(.notFound, "this node does not use the pairwise (ecdh-x25519) scheme")
            }
            let body = try await request.body.collect(upTo: 16 + MaskMessage.maxValues * 32 + 16)
            let values: [Token]
            do {
                values = try MaskMessage.decodeRequest(Array(body.readableBytesView))
            } catch {
                throw RequestRefused(.badRequest, "mask request refused: \(error)")
            }
            let outcome: MaskingService.Outcome
            do throws(NodeError) {
                outcome = try MaskingService(context: node.context, key: key).mask(values, for: peer)
            } catch {
                node.context.logger.error("masking failed", metadata: ["peer": "\(peer.member)", "error": "\(error)"])
                switch error.code {
                case .protocolViolation: throw RequestRefused(.badRequest, "mask request refused: a value is not maskable")
                case .configuration: throw RequestRefused(.serviceUnavailable, "this node's pairwise key was rotated; it masks again after a restart")
                default: throw RequestRefused(.serviceUnavailable, "this node cannot mask right now")
                }
            }
            switch outcome {
            case .masked(let epoch, let masked):
                return Response(status: .ok, headers: [.contentType: MaskMessage.contentType],
                                body: .init(byteBuffer: ByteBuffer(bytes: MaskMessage.encodeResponse(epoch: epoch, masked))))
            case .overBudget(let used, let budget):
                throw RequestRefused(.tooManyRequests, "daily masking budget exceeded (\(used) of \(budget) used today)")
            }
        }
    }
}
