import AllianceHTTP
import ExchangeCrypto
import Foundation
import Hummingbird

/// The watch on the internal listener (same bearer token and limits as `/v1/screen`):
/// - `POST /v1/watch` `{"items":[{"ref","kind","identifier"}]}` registers the items, all or
///   nothing, and answers like `/v1/screen` (``WatchAnswer``); any rejected item registers nothing (400);
/// - `POST /v1/watch/remove` `{"refs":[...]}` → ``WatchRemoved``;
/// - `GET /v1/watch` → ``WatchStatus`` (`watch status --json`).
struct WatchRoutes {
    let service: WatchService
    static let maxItems = 10_000
    static let maxBody = 4 << 20

    func register(on router: Router<PlainRequestContext>) {
        router.post("/v1/watch") { request, _ in
            let body = try await request.body.collect(upTo: Self.maxBody)
            return try await add(body: Array(body.readableBytesView))
        }
        router.post("/v1/watch/remove") { request, _ in
            let body = try await request.body.collect(upTo: Self.maxBody)
            return try remove(body: Array(body.readableBytesView))
        }
        router.get("/v1/watch") { _, _ in
            do {
                return try service.status()
            } catch {
                throw RequestRefused(.internalServerError, "cannot read the watch status")
            }
        }
    }

    struct Batch: Decodable {
        let items: [RealTimeScreening.Item]
    }

    func add(body: [UInt8]) async throws -> WatchAnswer {
        let decoder = JSONDecoder()
        let items: [RealTimeScreening.Item]
        if let batch = try? decoder.decode(Batch.self, from: Data(body)) {
            items = batch.items
        } else if let single = try? decoder.decode(RealTimeScreening.Item.self, from: Data(body)) {
            items = [single]
        } else {
            throw RequestRefused(.badRequest, "body must be {\"items\":[{\"ref\",\"kind\",\"identifier\"}]} or one such item")
        }
        guard items.count <= Self.maxItems else { throw RequestRefused(.contentTooLarge, "at most \(Self.maxItems) items per request") }
        var accounts: [Screener.Account] = []
        var rejected: [ScreenAnswer.Rejection] = []
        var seen: Set<String> = []
        for item in items {
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
        guard rejected.isEmpty else { throw WatchRefused(answer: WatchAnswer(registered: 0, rejected: rejected)) }
        let registration: WatchService.Registration
        do {
            registration = try await service.register(accounts)
        } catch {
            throw RequestRefused(.internalServerError, "cannot register the accounts")
        }
        return WatchAnswer(registered: registration.registrar.registered, matches: registration.matches, rejected: [],
                           staleOrigins: registration.staleOrigins, unreachableOrigins: registration.unreachableOrigins)
    }

    struct Removal: Decodable {
        let refs: [String]
    }

    func remove(body: [UInt8]) throws -> WatchRemoved {
        guard let removal = try? JSONDecoder().decode(Removal.self, from: Data(body)) else {
            throw RequestRefused(.badRequest, "body must be {\"refs\":[...]}")
        }
        guard removal.refs.count <= Self.maxItems else { throw RequestRefused(.contentTooLarge, "at most \(Self.maxItems) refs per request") }
        do {
            let outcome = try service.remove(removal.refs)
            return WatchRemoved(removed: outcome.removed, notWatched: outcome.notWatched)
        } catch where error.code == .registrationRejected {
            throw RequestRefused(.badRequest, error.problems.first ?? "invalid refs")
        } catch {
            throw RequestRefused(.internalServerError, "cannot remove the accounts")
        }
    }
}
