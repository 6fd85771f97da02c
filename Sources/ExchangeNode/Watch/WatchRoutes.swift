import AllianceHTTP
import ExchangeCrypto
import ExchangeRuntime
import Foundation
import Hummingbird

/// The watch on the internal listener (same bearer token and limits as `/v1/screen`):
/// - `POST /v1/watch` `{"items":[{"ref","kind","identifier"}]}` registers the items, all or
///   nothing, and answers like `/v1/screen`: `{"registered","matches":[...],"rejected":[{"ref","reason"}]}`
///   (plus `stale_origins` / `unreachable_origins` under the pairwise scheme); any rejected item
///   registers nothing (400);
/// - `POST /v1/watch/remove` `{"refs":[...]}` → `{"removed","not_watched"}`;
/// - `GET /v1/watch` → the status (`watch status --json`).
struct WatchRoutes {
    let service: WatchService
    static let maxItems = 10_000
    static let maxBody = 4 << 20

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/watch") { request, _ in
            let body = try await request.body.collect(upTo: Self.maxBody)
            return await add(body: Array(body.readableBytesView))
        }
        router.post("/v1/watch/remove") { request, _ in
            let body = try await request.body.collect(upTo: Self.maxBody)
            return remove(body: Array(body.readableBytesView))
        }
        router.get("/v1/watch") { _, _ in
            do {
                return JSONResponse.encode(try service.status())
            } catch {
                return JSONResponse.error(.internalServerError, "cannot read the watch status")
            }
        }
    }

    struct Batch: Decodable {
        let items: [RealTimeScreening.Item]
    }

    func add(body: [UInt8]) async -> Response {
        let decoder = JSONDecoder()
        let items: [RealTimeScreening.Item]
        if let batch = try? decoder.decode(Batch.self, from: Data(body)) {
            items = batch.items
        } else if let single = try? decoder.decode(RealTimeScreening.Item.self, from: Data(body)) {
            items = [single]
        } else {
            return JSONResponse.error(.badRequest, "body must be {\"items\":[{\"ref\",\"kind\",\"identifier\"}]} or one such item")
        }
        guard items.count <= Self.maxItems else { return JSONResponse.error(.contentTooLarge, "at most \(Self.maxItems) items per request") }
        var accounts: [Screener.Account] = []
        var rejected: [String] = []
        var seen: Set<String> = []
        for item in items {
            func reject(_ reason: String) { rejected.append("{\"ref\":\(JSONText.quote(item.ref)),\"reason\":\(JSONText.quote(reason))}") }
            if let problem = WatchInput.refProblem(item.ref) { reject("ref: \(problem)"); continue }
            guard seen.insert(item.ref).inserted else { reject("ref: appears more than once"); continue }
            guard let kind = IdentifierKind(rawValue: item.kind.lowercased()) else { reject("unknown identifier kind"); continue }
            do {
                accounts.append(Screener.Account(ref: item.ref, identifier: try SubjectIdentifier(kind: kind, parsing: item.identifier)))
            } catch {
                reject(error.description)
            }
        }
        guard rejected.isEmpty else {
            return JSONResponse.json("{\"registered\":0,\"matches\":[],\"rejected\":[\(rejected.joined(separator: ","))]}",
                                     status: .badRequest)
        }
        let registration: WatchService.Registration
        do {
            registration = try await service.register(accounts)
        } catch {
            return JSONResponse.error(.internalServerError, "cannot register the accounts")
        }
        let matches = registration.matches.map(\.jsonLine).joined(separator: ",")
        let stale = registration.staleOrigins.isEmpty ? ""
            : ",\"stale_origins\":[" + registration.staleOrigins.map(\.jsonObject).joined(separator: ",") + "]"
        let unreachable = registration.unreachableOrigins.isEmpty ? ""
            : ",\"unreachable_origins\":[" + registration.unreachableOrigins.map(\.jsonObject).joined(separator: ",") + "]"
        return JSONResponse.json("{\"registered\":\(registration.registrar.registered),\"matches\":[\(matches)],\"rejected\":[]\(stale)\(unreachable)}")
    }

    struct Removal: Decodable {
        let refs: [String]
    }

    func remove(body: [UInt8]) -> Response {
        guard let removal = try? JSONDecoder().decode(Removal.self, from: Data(body)) else {
            return JSONResponse.error(.badRequest, "body must be {\"refs\":[...]}")
        }
        guard removal.refs.count <= Self.maxItems else { return JSONResponse.error(.contentTooLarge, "at most \(Self.maxItems) refs per request") }
        do {
            let outcome = try service.remove(removal.refs)
            return JSONResponse.json("{\"removed\":\(outcome.removed),\"not_watched\":\(outcome.notWatched)}")
        } catch where error.code == .registrationRejected {
            return JSONResponse.error(.badRequest, error.problems.first ?? "invalid refs")
        } catch {
            return JSONResponse.error(.internalServerError, "cannot remove the accounts")
        }
    }
}
