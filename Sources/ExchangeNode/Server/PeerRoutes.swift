import AllianceHTTP
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Hummingbird
import NIOCore

/// The peer-facing endpoints (docs/authority.md lists which roles may call each).
struct PeerRoutes {
    let node: NodeRuntime

    func register(on router: Router<PeerRequestContext>) {
        // Every route below is checked against the authority table (Governance/AuthorityTable.swift).
        router.add(middleware: EndpointAuthorization(node: node))
        router.get("/v1/health") { _, context in
            guard context.caller != nil else { throw RequestRefused(.forbidden, "not authorised") }
            return HealthAnswer(member: node.context.member)
        }
        router.get("/v1/feed") { request, context in
            guard let caller = context.caller, caller.role == .peer, let peer = caller.peer else {
                throw refuse(context, request, "only peer nodes may read the feed")
            }
            guard let after = UInt64(request.uri.queryParameters["after"].map(String.init) ?? "0"), after <= WireLimits.maxSequence else {
                throw RequestRefused(.badRequest, "after must be a sequence number from 0 to \(WireLimits.maxSequence)")
            }
            guard let limit = Int(request.uri.queryParameters["limit"].map(String.init) ?? "\(FeedBuilder.defaultPageSize)"), limit >= 1 else {
                throw RequestRefused(.badRequest, "limit must be a positive number of events")
            }
            let page = try node.feedBuilder.encodedPage(after: after, limit: limit, lists: peer.lists, categories: peer.categories)
            node.context.audit.append(AuditEvent(actor: caller.member, role: .peer, action: .syncServe, outcome: .ok,
                                                 detail: ["after": .seq(after), "events": .count(page.events),
                                                          "through": .seq(page.coveredThrough)]))
            return Response(status: .ok, headers: [.contentType: FeedPage.contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: page.bytes)))
        }
        router.get("/v1/digest") { request, context in
            guard let caller = context.caller, caller.role == .peer, let peer = caller.peer else {
                throw refuse(context, request, "only peer nodes may read the digest")
            }
            return try node.feedBuilder.digest(lists: peer.lists, categories: peer.categories)
        }
        AppealRoutes(node: node).register(on: router)
        MaskRoute(node: node).register(on: router)
    }

    private func refuse(_ context: PeerRequestContext, _ request: Request, _ reason: String) -> RequestRefused {
        let actor = context.caller?.member ?? AuditEvent.unknownActor
        node.context.audit.append(AuditEvent(actor: actor, role: context.caller?.role.auditRole ?? .peer, action: .request,
                                             outcome: .refused, detail: ["path": .code(request.uri.path), "status": .count(403)]))
        return RequestRefused(.forbidden, reason)
    }
}

/// `GET /v1/digest` answers with the digest itself (sorted keys).
extension OriginDigest: ResponseEncodable {}
