import ExchangeProtocol
import Foundation

/// `POST /v1/screen`'s body: `{"items":[AccountItem], "as_of": "YYYY-MM-DD"|null}`, or (for
/// compatibility) one AccountItem as the whole body: the contract's `anyOf`, checked in that order.
struct ScreenRequest: Sendable {
    static let maxItems = 10_000

    let items: [AccountItem]
    let day: Day?

    private struct Batch: Decodable {
        let items: [AccountItem]
        let asOf: String?
        enum CodingKeys: String, CodingKey {
            case items
            case asOf = "as_of"
        }
    }

    /// Decodes and checks a body; throws the documented 400 or 413.
    static func parse(_ body: [UInt8]) throws(APIError) -> ScreenRequest {
        let data = Data(body)
        let decoder = JSONDecoder()
        var refusal = APIError.malformed("body must be {\"items\":[{\"ref\",\"kind\",\"identifier\"}],\"as_of\"?} or one such item")
        if let batch = try? decoder.decode(Batch.self, from: data) {
            do {
                return try checked(batch)
            } catch {
                refusal = error
            }
        }
        if let single = try? decoder.decode(AccountItem.self, from: data), single.problem == nil {
            return ScreenRequest(items: [single], day: nil)
        }
        throw refusal
    }

    private static func checked(_ batch: Batch) throws(APIError) -> ScreenRequest {
        guard batch.items.count <= maxItems else { throw APIError(.tooManyItems, "at most \(maxItems) items per request") }
        for (index, item) in batch.items.enumerated() {
            if let problem = item.problem { throw APIError.malformed("items[\(index)]: \(problem)") }
        }
        var day: Day?
        if let asOf = batch.asOf {
            guard asOf.utf8.count == 10, let parsed = Day(parsing: asOf) else { throw APIError.malformed("as_of must be YYYY-MM-DD") }
            day = parsed
        }
        return ScreenRequest(items: batch.items, day: day)
    }
}
