import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import Testing

@testable import ExchangeAudit

/// What the membership suites share: synthetic entries and accounts (mainland mobile numbers, each
/// listed by one or two members), screening through a serving node's internal API, the matches as a
/// comparable set, reading a node's audit log and outbox, and waiting for a condition.
enum MembershipScene {
    static let asOf = "2026-08-01"

    /// The canonical mobile number of index `i` (never a real subscriber: +86 139 9xxx xxxx).
    static func phone(_ index: Int) -> String { "+861399" + String(format: "%07d", index) }

    /// An entries file listing phones `range`, one entry each, ids `prefix-i`.
    static func entries(_ range: Range<Int>, prefix: String) -> String {
        var text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
        text.reserveCapacity(range.count * 80)
        for index in range { text += "\(prefix)-\(index),black,brushing,2,phone,\(phone(index)),2026-01-01,2030-01-01\n" }
        return text
    }

    /// The `/v1/screen` body for accounts `acct-i` holding phones `indexes`.
    static func screenBody(_ indexes: [Int]) -> String {
        "{\"as_of\":\"\(asOf)\",\"items\":[" + indexes.map { "{\"ref\":\"acct-\($0)\",\"kind\":\"phone\",\"identifier\":\"\(phone($0))\"}" }
            .joined(separator: ",") + "]}"
    }

    /// What `/v1/screen` answered, decoded.
    struct Answer: Decodable {
        struct Match: Decodable, Hashable {
            let ref: String
            let kind: String
            let origin: String
            let entryID: String
            enum CodingKeys: String, CodingKey {
                case ref, kind, origin
                case entryID = "entry_id"
            }
        }

        struct Stale: Decodable, Equatable {
            let member: String
            let answeredEpoch: UInt32
            let storedEpochs: [UInt32]
            enum CodingKeys: String, CodingKey {
                case member
                case answeredEpoch = "answered_epoch"
                case storedEpochs = "stored_epochs"
            }
        }

        struct Unreachable: Decodable, Equatable {
            let member: String
            let reason: String
        }

        let matches: [Match]
        let staleOrigins: [Stale]?
        let unreachableOrigins: [Unreachable]?
        enum CodingKeys: String, CodingKey {
            case matches
            case staleOrigins = "stale_origins"
            case unreachableOrigins = "unreachable_origins"
        }

        /// `ref origin entry` of every match.
        var set: Set<String> { Set(matches.map { "\($0.ref) \($0.origin) \($0.entryID)" }) }
    }

    /// Screens `indexes` at `node`'s running `serve` through its internal API.
    static func screen(_ alliance: TestAlliance, _ node: TestNode, _ indexes: [Int]) async throws -> Answer {
        let answer = try await alliance.internalAPI(node, "POST", "/v1/screen", body: screenBody(indexes))
        guard answer.status == 200 else { throw HarnessError("screen at \(node.member): HTTP \(answer.status) \(answer.body)") }
        return try JSONDecoder().decode(Answer.self, from: Data(answer.body.utf8))
    }

    /// `node`'s audit records of `action` (or all), oldest first.
    static func audit(_ node: TestNode, action: String? = nil) throws -> [AuditRecord] {
        try AuditLog.records(directory: node.home.appending(path: "audit").path, filter: AuditFilter(action: action)).records
    }

    /// The outbox records after `seq`, as parsed JSON objects.
    static func outbox(_ alliance: TestAlliance, _ node: TestNode, after seq: Int64 = 0) async throws -> [(seq: Int64, record: [String: Any])] {
        let answer = try await alliance.internalAPI(node, "GET", "/v1/outbox?after=\(seq)&limit=10000")
        guard answer.status == 200 else { throw HarnessError("outbox at \(node.member): HTTP \(answer.status)") }
        return try answer.body.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = object["seq"] as? Int, let record = object["record"] as? [String: Any] else {
                throw HarnessError("outbox line is not {seq, record}")
            }
            return (Int64(seq), record)
        }
    }

    /// Waits until `condition` holds (checked every 200 ms), failing after `timeout`.
    static func waitUntil(_ what: String, timeout: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw HarnessError("timed out waiting until \(what)")
    }

    /// Every regular file under `root`, recursively (database, write-ahead log, keys, audit, logs, outbox, ...).
    static func files(under root: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { item -> URL? in
            guard let url = item as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { return nil }
            return url
        }
    }

    /// For each file under `roots` holding any of `needles` (raw bytes), the file and how many it holds.
    static func holders(of needles: [Data], under roots: [URL]) -> [String: Int] {
        var found: [String: Int] = [:]
        for root in roots {
            for file in files(under: root) {
                guard let bytes = try? Data(contentsOf: file) else { continue }
                let count = needles.filter { bytes.range(of: $0) != nil }.count
                if count > 0 { found[file.path] = count }
            }
        }
        return found
    }
}
