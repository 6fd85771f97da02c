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
            try ensureFeedWhole(caller: caller.member, after: after)
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
            try ensureFeedWhole(caller: caller.member, after: nil)
            return try node.feedBuilder.digest(scheme: request.uri.queryParameters["scheme"].map(String.init),
                                               lists: peer.lists, categories: peer.categories)
        }
        router.get("/v1/held") { request, context in
            guard let caller = context.caller, caller.role == .peer, caller.peer != nil else {
                throw refuse(context, request, "only peer nodes may ask what this node holds of their feed")
            }
            // A member gets back only its own events: handing one member's events to another would bypass its ACLs.
            guard (request.uri.queryParameters["origin"].map(String.init) ?? caller.member) == caller.member else {
                throw refuse(context, request, "origin must be the caller's own member id")
            }
            guard let after = UInt64(request.uri.queryParameters["after"].map(String.init) ?? "0"), after <= WireLimits.maxSequence else {
                throw RequestRefused(.badRequest, "after must be a sequence number from 0 to \(WireLimits.maxSequence)")
            }
            guard let limit = Int(request.uri.queryParameters["limit"].map(String.init) ?? "\(FeedBuilder.defaultPageSize)"), limit >= 1 else {
                throw RequestRefused(.badRequest, "limit must be a positive number of events")
            }
            let page = try HeldFeedBuilder(store: node.context.store).encodedPage(origin: caller.member, after: after, limit: limit)
            node.context.audit.append(AuditEvent(actor: caller.member, role: .peer, action: "feed.held", outcome: .ok,
                                                 detail: ["after": .seq(after), "events": .count(page.events),
                                                          "through": .seq(page.coveredThrough)]))
            return Response(status: .ok, headers: [.contentType: FeedPage.contentType],
                            body: .init(byteBuffer: ByteBuffer(bytes: page.bytes)))
        }
        AppealRoutes(node: node).register(on: router)
        MaskRoute(node: node).register(on: router)
    }

    /// Our feed is served only when it is whole: while the node recovers it after a restore, peers get
    /// 503 (so none pulls a short feed or, seeing another digest, drops its copy of ours). A caller whose
    /// cursor is beyond our head has seen sequence numbers this node no longer knows (its home was put
    /// back by hand, not with `restore`): that is logged and audited for the operator; the answer is the
    /// usual one (an empty page), so a peer cannot stop this node from publishing by sending a high cursor.
    private func ensureFeedWhole(caller: String, after: UInt64?) throws {
        let (pending, head) = try node.context.store.read { db in
            (try FeedRecoveryState.isPending(db), UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0))
        }
        if pending {
            throw RequestRefused(.serviceUnavailable, "feed-recovering: this node is recovering its own feed from its peers after a restore")
        }
        guard let after, after > head else { return }
        node.context.logger.warning("a peer's cursor is beyond this node's own head: events it holds may be missing here",
                                    metadata: ["peer": "\(caller)", "cursor": "\(after)", "head": "\(head)"])
        node.context.audit.append(AuditEvent(actor: caller, role: .peer, action: "feed.cursor-ahead", outcome: .error,
                                             detail: ["cursor": .seq(after), "head": .seq(head)]))
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
