import ExchangeRuntime
import Hummingbird

/// `POST /v1/watch/remove`'s answer: `{"removed","not_watched"}`.
struct WatchRemoved: ResponseEncodable, FieldOrderedJSON, Sendable {
    let removed: Int
    let notWatched: Int

    enum CodingKeys: String, CodingKey {
        case removed
        case notWatched = "not_watched"
    }
}
