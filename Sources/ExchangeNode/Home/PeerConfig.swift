import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// One member of the alliance as this node knows it: `HOME/peers/<ID>.json` (and `peers/` in the repo).
public struct PeerConfig: Codable, Sendable, Equatable {
    public enum Role: String, Codable, Sendable { case node, coordinator }

    public var member: String
    /// Base URL of its peer-facing listener, e.g. `https://127.0.0.1:7443`.
    public var url: String
    public var role: Role
    /// Lists this peer may receive from us.
    public var lists: [ListKind]
    /// Categories this peer may receive from us; nil (absent from the file) means all.
    public var categories: [ExchangeProtocol.Category]?
    /// Identifiers it may ask us to mask per day (pairwise scheme).
    public var dailyMaskingBudget: Int
    /// Requests per second it may make to our peer-facing endpoints.
    public var requestsPerSecond: Double

    public init(
        member: String, url: String, role: Role = .node, lists: [ListKind] = ListKind.allCases,
        dailyMaskingBudget: Int = 1_000_000, requestsPerSecond: Double = 200, categories: [ExchangeProtocol.Category]? = nil
    ) {
        self.member = member
        self.url = url
        self.role = role
        self.lists = lists
        self.categories = categories
        self.dailyMaskingBudget = dailyMaskingBudget
        self.requestsPerSecond = requestsPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case member, url, role, lists, categories
        case dailyMaskingBudget = "daily_masking_budget"
        case requestsPerSecond = "requests_per_second"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        member = try c.decode(String.self, forKey: .member)
        url = try c.decode(String.self, forKey: .url)
        role = try c.decodeIfPresent(Role.self, forKey: .role) ?? .node
        lists = try c.decodeIfPresent([ListKind].self, forKey: .lists) ?? ListKind.allCases
        categories = try c.decodeIfPresent([ExchangeProtocol.Category].self, forKey: .categories)
        dailyMaskingBudget = try c.decodeIfPresent(Int.self, forKey: .dailyMaskingBudget) ?? 1_000_000
        requestsPerSecond = try c.decodeIfPresent(Double.self, forKey: .requestsPerSecond) ?? 200
    }
}
