import ExchangeCrypto
import ExchangeProtocol

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

/// Looks accounts up in a ``TokenIndex`` and attaches the measures policy's codes.
public struct Screener: Sendable {
    public let index: TokenIndex
    public let tokenizer: KeyedHashTokenizer
    public let policy: MeasuresPolicy

    public init(index: TokenIndex, tokenizer: KeyedHashTokenizer, policy: MeasuresPolicy) {
        self.index = index
        self.tokenizer = tokenizer
        self.policy = policy
    }

    /// Matches of one parsed identifier on `day` (entries of every origin, our own included).
    public func matches(ref: String, identifier: SubjectIdentifier, on day: Day) -> [ScreenMatch] {
        var out: [ScreenMatch] = []
        let token = tokenizer.token(for: identifier)
        index.forEachEntry(holding: token) { position in
            let entry = index.entries[position]
            guard entry.applies(on: day) else { return }
            out.append(ScreenMatch(
                ref: ref, kind: identifier.kind.rawValue, origin: entry.origin, entryID: entry.entryID,
                list: entry.list.rawValue, category: entry.category.rawValue, severity: entry.severity.rawValue,
                listedOn: entry.listedOn.description, expiresOn: entry.expiresOn?.description,
                measures: policy.measures(list: entry.list, severity: entry.severity, role: entry.role),
                incentives: policy.incentives(list: entry.list)))
        }
        return out
    }
}
