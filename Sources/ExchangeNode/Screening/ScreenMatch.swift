import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime

/// One (account, matching entry) pair: a line of `screen` output and of the real-time API.
public struct ScreenMatch: Sendable, Equatable, Codable, FieldOrderedJSON {
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

    public init(ref: String, kind: String, origin: String, entryID: String, list: String, category: String, severity: Int,
                listedOn: String, expiresOn: String?, measures: [String], incentives: [String]) {
        self.ref = ref
        self.kind = kind
        self.origin = origin
        self.entryID = entryID
        self.list = list
        self.category = category
        self.severity = severity
        self.listedOn = listedOn
        self.expiresOn = expiresOn
        self.measures = measures
        self.incentives = incentives
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ref = try c.decode(String.self, forKey: .ref)
        kind = try c.decode(String.self, forKey: .kind)
        origin = try c.decode(String.self, forKey: .origin)
        entryID = try c.decode(String.self, forKey: .entryID)
        list = try c.decode(String.self, forKey: .list)
        category = try c.decode(String.self, forKey: .category)
        severity = try c.decode(Int.self, forKey: .severity)
        listedOn = try c.decode(String.self, forKey: .listedOn)
        expiresOn = try c.decodeIfPresent(String.self, forKey: .expiresOn)
        measures = try c.decode([String].self, forKey: .measures)
        incentives = try c.decodeIfPresent([String].self, forKey: .incentives) ?? []
    }

    /// The one JSON form, a `screen` line and an element of `/v1/screen`'s matches, fields in the documented
    /// order: `{"ref","kind","origin","entry_id","list","category","severity","listed_on","expires_on","measures"}`
    /// (`expires_on` null when the entry does not expire), then `"incentives"` for a red-list match.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ref, forKey: .ref)
        try c.encode(kind, forKey: .kind)
        try c.encode(origin, forKey: .origin)
        try c.encode(entryID, forKey: .entryID)
        try c.encode(list, forKey: .list)
        try c.encode(category, forKey: .category)
        try c.encode(severity, forKey: .severity)
        try c.encode(listedOn, forKey: .listedOn)
        if let expiresOn { try c.encode(expiresOn, forKey: .expiresOn) } else { try c.encodeNil(forKey: .expiresOn) }
        try c.encode(measures, forKey: .measures)
        if !incentives.isEmpty { try c.encode(incentives, forKey: .incentives) }
    }

    /// The `screen` output line (without its newline).
    package var jsonLine: String {
        // Encoding strings, integers and arrays of strings cannot fail.
        (try? OrderedJSONEncoder().string(self)) ?? ""
    }
}
