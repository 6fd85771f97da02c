import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// Maps a matched entry (list, severity, role) to the joint-punishment measures M1–M13, or to
/// incentives for a red-list match. The default is DOMAIN.md's; `HOME/measures-policy.json`
/// overrides it: `{"severity": {"1": [...], "2": [...], "3": [...]}, "lists": ["black", "watch"],
///  "roles": {"logistics-company": ["M10"]}, "incentives": [...]}` (each severity adds to the ones below).
public struct MeasuresPolicy: Codable, Sendable, Equatable {
    /// Measures added at each severity level (cumulative upwards).
    public var severity: [String: [String]]
    /// Lists whose matches carry measures.
    public var lists: [ListKind]
    /// Extra measures by subject role.
    public var roles: [String: [String]]
    /// What a red-list match carries instead of measures.
    public var incentives: [String]

    public static let `default` = MeasuresPolicy(
        severity: ["1": ["M5", "M6", "M9"], "2": ["M3", "M4", "M8", "M13"], "3": ["M1", "M2", "M7", "M12"]],
        lists: [.black, .watch],
        roles: ["logistics-company": ["M10"], "logistics-staff": ["M11"]],
        incentives: ["search-ranking", "traffic", "promotions", "credit"]
    )

    public static func load(from home: NodeHome) throws(NodeError) -> MeasuresPolicy {
        guard FileManager.default.fileExists(atPath: home.policyFile.path) else { return .default }
        let policy = try NodeError.files(JSONFile.read(MeasuresPolicy.self, from: home.policyFile))
        try policy.validate(file: home.policyFile.path)
        return policy
    }

    func validate(file: String) throws(NodeError) {
        let valid = Set((1...13).map { "M\($0)" })
        for (key, measures) in severity.merging(roles, uniquingKeysWith: { $0 + $1 }) {
            for measure in measures where !valid.contains(measure) {
                throw .fileUnreadable(file, reason: "\(key): unknown measure '\(measure)' (M1-M13)")
            }
        }
    }

    /// Measures for an entry, in code order (M1 ... M13).
    public func measures(list: ListKind, severity level: Severity, role: SubjectRole?) -> [String] {
        guard lists.contains(list) else { return [] }
        var out = Set<String>()
        for step in 1...level.rawValue { out.formUnion(severity[String(step)] ?? []) }
        if let role { out.formUnion(roles[role.rawValue] ?? []) }
        return out.sorted { Int($0.dropFirst())! < Int($1.dropFirst())! }
    }

    public func incentives(list: ListKind) -> [String] { list == .red ? incentives : [] }
}
