import Foundation

/// `POST /v1/watch`'s body: `{"items":[AccountItem]}`, or one AccountItem as the whole body (as
/// `/v1/screen` takes it). Same limits as screening.
struct WatchRequest: Sendable {
    let items: [AccountItem]

    private struct Batch: Decodable {
        let items: [AccountItem]
    }

    /// Decodes and checks a body; throws the documented 400 or 413.
    static func parse(_ body: [UInt8]) throws(APIError) -> WatchRequest {
        let data = Data(body)
        let decoder = JSONDecoder()
        if let batch = try? decoder.decode(Batch.self, from: data) {
            guard batch.items.count <= ScreenRequest.maxItems else {
                throw APIError(.tooManyItems, "at most \(ScreenRequest.maxItems) items per request")
            }
            for (index, item) in batch.items.enumerated() {
                if let problem = item.problem { throw APIError.malformed("items[\(index)]: \(problem)") }
            }
            return WatchRequest(items: batch.items)
        }
        if let single = try? decoder.decode(AccountItem.self, from: data), single.problem == nil {
            return WatchRequest(items: [single])
        }
        throw APIError.malformed("body must be {\"items\":[{\"ref\",\"kind\",\"identifier\"}]} or one such item")
    }
}
