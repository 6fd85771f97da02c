import AllianceHTTP
import ExchangeCrypto
import Foundation
import Hummingbird

/// The watch on the internal listener (same bearer token and limits as `/v1/screen`;
/// docs/openapi.yaml, tag `watch`):
/// - `POST /v1/watch` `{"items":[{"ref","kind","identifier"}]}` registers the valid items in one
///   transaction and answers like `/v1/screen` (``WatchAnswer``): their current matches, and every
///   refused item (unknown kind, identifier failing its kind's check, ref sent twice) in `rejected`;
/// - `POST /v1/watch/remove` `{"refs":[...]}` → ``WatchRemoved``;
/// - `GET /v1/watch` → ``WatchStatus`` (`watch status --json`).
struct WatchRoutes: Sendable {
    let service: WatchService

    func register(on router: Router<PlainRequestContext>) {
        router.post(.init(InternalRoute.watchAdd.path)) { request, _ in
            let body = try await request.body.collect(upTo: RequestBodyLimit.maxBytes)
            return await add(body: Array(body.readableBytesView))
        }
        router.post(.init(InternalRoute.watchRemove.path)) { request, _ in
            let body = try await request.body.collect(upTo: RequestBodyLimit.maxBytes)
            return remove(body: Array(body.readableBytesView))
        }
        router.get(.init(InternalRoute.watchStatus.path)) { _, _ in
            do {
                return APIResponse.json(try service.status())
            } catch {
                return APIError(.internal, "cannot read the watch status").response
            }
        }
    }

    func add(body: [UInt8]) async -> Response {
        let request: WatchRequest
        do {
            request = try WatchRequest.parse(body)
        } catch {
            return error.response
        }
        var accounts: [Screener.Account] = []
        var rejected: [ScreenAnswer.Rejection] = []
        var seen: Set<String> = []
        for item in request.items {
            if let problem = WatchInput.refProblem(item.ref) {
                rejected.append(.init(ref: item.ref, reason: "ref: \(problem)"))
            } else if !seen.insert(item.ref).inserted {
                rejected.append(.init(ref: item.ref, reason: "ref: appears more than once"))
            } else if let kind = IdentifierKind(rawValue: item.kind.lowercased()) {
                do {
                    accounts.append(Screener.Account(ref: item.ref, identifier: try SubjectIdentifier(kind: kind, parsing: item.identifier)))
                } catch {
                    rejected.append(.init(ref: item.ref, reason: error.description))
                }
            } else {
                rejected.append(.init(ref: item.ref, reason: "unknown identifier kind"))
            }
        }
        guard !accounts.isEmpty else { return APIResponse.json(WatchAnswer(registered: 0, matches: [], rejected: rejected)) }
        let registration: WatchService.Registration
        do {
            registration = try await service.register(accounts)
        } catch {
            return APIError(.internal, "cannot register the accounts").response
        }
        return APIResponse.json(WatchAnswer(registered: registration.registrar.registered, matches: registration.matches, rejected: rejected,
                                            staleOrigins: registration.staleOrigins,
                                            unreachableOrigins: registration.unreachableOrigins))
    }

    func remove(body: [UInt8]) -> Response {
        let request: UnwatchRequest
        do {
            request = try UnwatchRequest.parse(body)
        } catch {
            return error.response
        }
        do {
            let outcome = try service.remove(request.refs)
            return APIResponse.json(WatchRemoved(removed: outcome.removed, notWatched: outcome.notWatched))
        } catch where error.code == .registrationRejected {
            return APIError.malformed(error.problems.first ?? "invalid refs").response
        } catch {
            return APIError(.internal, "cannot remove the accounts").response
        }
    }
}
