import AllianceHTTP
import ExchangeAudit
import Foundation
import HTTPTypes
import Hummingbird

/// The appeal endpoints of the peer listener (role `peer`, see ``AuthorityTable``):
/// `POST /v1/appeals` files an appeal against one of our entries (201, or 200 for a re-send);
/// `GET /v1/appeals/{id}` lets its filer, and only its filer, read its state.
struct AppealRoutes {
    let node: NodeRuntime

    /// Largest accepted body: 2000 characters of reason, escaped, plus the other fields.
    static let maxBodyBytes = 64 << 10

    func register(on router: Router<PeerRequestContext>) {
        router.post("/v1/appeals") { request, context in
            guard let caller = context.caller, caller.role == .peer, let peer = caller.peer else {
                throw refuse(context, .forbidden, code: "role-not-allowed", "only peer nodes may file appeals")
            }
            let body = try await request.body.collect(upTo: Self.maxBodyBytes)
            let submission: AppealSubmission
            do {
                submission = try JSONDecoder().decode(AppealSubmission.self, from: Data(buffer: body))
            } catch {
                throw refuse(context, .badRequest, code: "malformed",
                              "body must be JSON {\"appeal_id\",\"entry_id\",\"reason\",\"filed_at\"}")
            }
            _ = try? AppealDeadlines.sweep(node.context)
            do throws(AppealError) {
                let receipt = try AppealIntake(context: node.context).receive(submission, from: caller.member, visibility: PeerVisibility(peer))
                return EditedResponse(status: receipt.created ? .created : .ok, response: AppealState(receipt.appeal))
            } catch {
                throw refuse(context, HTTPResponse.Status(code: error.httpStatus), code: Self.code(error), error.description)
            }
        }
        router.get("/v1/appeals/{id}") { _, context in
            guard let caller = context.caller, caller.role == .peer else {
                throw refuse(context, .forbidden, action: "appeal.read", code: "role-not-allowed", "only peer nodes may read appeals")
            }
            let id = context.parameters.get("id") ?? ""
            _ = try? AppealDeadlines.sweep(node.context)
            do throws(AppealError) {
                let appeal = try AppealIntake(context: node.context).state(of: id, for: caller.member)
                return AppealState(appeal)
            } catch {
                throw refuse(context, HTTPResponse.Status(code: error.httpStatus), action: "appeal.read", code: Self.code(error),
                              error.description)
            }
        }
    }

    private func refuse(_ context: PeerRequestContext, _ status: HTTPResponse.Status, action: AuditAction = .appealFile, code: String,
                        _ message: String) -> RequestRefused {
        let actor = context.caller?.member ?? AuditEvent.unknownActor
        var event = AuditEvent.refused(actor: actor, role: context.caller?.role.auditRole ?? .peer, action: action, reason: code)
        event.detail["status"] = String(status.code)
        node.context.audit.append(event)
        return RequestRefused(status, message)
    }

    static func code(_ error: AppealError) -> String {
        switch error {
        case .malformed: "malformed"
        case .text(.containsIdentifier): "identifier-in-text"
        case .text: "bad-text"
        case .unknownEntry: "unknown-entry"
        case .entryNotActive: "entry-not-active"
        case .unknownAppeal: "unknown-appeal"
        case .conflict: "conflict"
        case .notAllowed: "not-allowed"
        case .node: "node-error"
        }
    }
}
