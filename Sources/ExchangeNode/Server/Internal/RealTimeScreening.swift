import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Hummingbird

/// `POST /v1/screen`: screens the items on `as_of` (default today), records new matches in the outbox,
/// and answers the matches and the rejected items (docs/openapi.yaml, `screenAccounts`).
struct RealTimeScreening: Sendable {
    let service: ScreeningService

    func handle(body: [UInt8]) async -> Response {
        let request: ScreenRequest
        do {
            request = try ScreenRequest.parse(body)
        } catch {
            return error.response
        }
        let day = request.day ?? NodeClock.today()
        var accounts: [Screener.Account] = []
        var rejected: [ScreenAnswer.Rejection] = []
        // An account sent twice (same ref, same identifier) is screened, and its matches answered, once.
        var seen = Set<String>()
        accounts.reserveCapacity(request.items.count)
        for item in request.items {
            guard let kind = IdentifierKind(rawValue: item.kind.lowercased()) else {
                rejected.append(ScreenAnswer.Rejection(ref: item.ref, reason: "unknown identifier kind"))
                continue
            }
            do {
                let identifier = try SubjectIdentifier(kind: kind, parsing: item.identifier)
                guard seen.insert(item.ref + "\u{0}" + kind.rawValue + "\u{0}" + identifier.canonical).inserted else { continue }
                accounts.append(Screener.Account(ref: item.ref, identifier: identifier))
            } catch {
                rejected.append(ScreenAnswer.Rejection(ref: item.ref, reason: error.description))
            }
        }
        let outcome: ScreeningOutcome
        do {
            outcome = try await service.freshEngine().screenReporting(accounts, on: day)
        } catch {
            return APIError(.internal, "screening failed").response
        }
        let matches = outcome.matches.flatMap { $0 }
        do {
            _ = try service.record(matches, screened: request.items.count - rejected.count, day: day)
        } catch {
            return APIError(.internal, "cannot record matches").response
        }
        NodeMetrics.shared.screened(request.items.count, matches: matches.count)
        return APIResponse.json(ScreenAnswer(matches: matches, rejected: rejected, staleOrigins: outcome.staleOrigins,
                                             unreachableOrigins: outcome.unreachableOrigins))
    }
}
