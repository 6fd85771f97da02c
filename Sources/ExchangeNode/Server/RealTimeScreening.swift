import AllianceHTTP
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `POST /v1/screen`: `{"items":[{"ref","kind","identifier"}], "as_of":"YYYY-MM-DD"?}` (or one item
/// as the whole body) → ``ScreenAnswer``.
struct RealTimeScreening {
    let service: ScreeningService

    struct Item: Decodable {
        let ref: String
        let kind: String
        let identifier: String
    }

    struct Batch: Decodable {
        let items: [Item]
        let asOf: String?
        enum CodingKeys: String, CodingKey {
            case items
            case asOf = "as_of"
        }
    }

    func handle(body: [UInt8]) async throws(RequestRefused) -> ScreenAnswer {
        let decoder = JSONDecoder()
        let batch: Batch
        if let decoded = try? decoder.decode(Batch.self, from: Data(body)) {
            batch = decoded
        } else if let single = try? decoder.decode(Item.self, from: Data(body)) {
            batch = Batch(items: [single], asOf: nil)
        } else {
            throw RequestRefused(.badRequest, "body must be {\"items\":[{\"ref\",\"kind\",\"identifier\"}]} or one such item")
        }
        guard batch.items.count <= 10_000 else { throw RequestRefused(.contentTooLarge, "at most 10000 items per request") }
        var day = NodeClock.today()
        if let asOf = batch.asOf {
            guard let parsed = Day(parsing: asOf) else { throw RequestRefused(.badRequest, "as_of must be YYYY-MM-DD") }
            day = parsed
        }
        var accounts: [Screener.Account] = []
        var rejected: [ScreenAnswer.Rejection] = []
        for item in batch.items {
            guard let kind = IdentifierKind(rawValue: item.kind.lowercased()) else {
                rejected.append(.init(ref: item.ref, reason: "unknown identifier kind"))
                continue
            }
            do {
                accounts.append(Screener.Account(ref: item.ref, identifier: try SubjectIdentifier(kind: kind, parsing: item.identifier)))
            } catch {
                rejected.append(.init(ref: item.ref, reason: error.description))
            }
        }
        let outcome: ScreeningOutcome
        do {
            outcome = try await service.freshEngine().screenReporting(accounts, on: day)
        } catch {
            throw RequestRefused(.internalServerError, "screening failed")
        }
        let matches = outcome.matches.flatMap { $0 }
        do {
            _ = try service.record(matches, screened: batch.items.count - rejected.count, day: day)
        } catch {
            throw RequestRefused(.internalServerError, "cannot record matches")
        }
        NodeMetrics.shared.screened(batch.items.count, matches: matches.count)
        return ScreenAnswer(matches: matches, rejected: rejected, staleOrigins: outcome.staleOrigins,
                            unreachableOrigins: outcome.unreachableOrigins)
    }
}
