import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime

/// One (account, matching entry) pair: a line of `screen` output and of the real-time API.
public struct ScreenMatch: Sendable, Equatable, Codable {
    public let ref: String
    public let kind: String
    public let origin: String
    public let entryID: String
    public let list: String
    public let category: String
    public let severity: Int
    public let listedOn: String
    public let expiresOn: String?
    public let measures: [String]
    public let incentives: [String]

    enum CodingKeys: String, CodingKey {
        case ref, kind, origin, list, category, severity, measures, incentives
        case entryID = "entry_id"
        case listedOn = "listed_on"
        case expiresOn = "expires_on"
    }

    /// The JSON object, fields in the documented order.
    public var jsonLine: String {
        var out = "{\"ref\":\(JSONText.quote(ref)),\"kind\":\(JSONText.quote(kind)),\"origin\":\(JSONText.quote(origin))"
        out += ",\"entry_id\":\(JSONText.quote(entryID)),\"list\":\"\(list)\",\"category\":\"\(category)\",\"severity\":\(severity)"
        out += ",\"listed_on\":\"\(listedOn)\",\"expires_on\":" + (expiresOn.map { "\"\($0)\"" } ?? "null")
        out += ",\"measures\":[" + measures.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        if !incentives.isEmpty { out += ",\"incentives\":[" + incentives.map { "\"\($0)\"" }.joined(separator: ",") + "]" }
        return out + "}"
    }
}

