import ExchangeRuntime
import Hummingbird

/// `POST /v1/reports`'s answer: `{"member","day","revision","status":"stored"}`, in that order.
struct ReportStored: ResponseEncodable, FieldOrderedJSON, Sendable {
    let member: String
    let day: String
    /// How many versions of this (member, day) the coordinator has received, this one included.
    let revision: Int
    let status = "stored"
}
