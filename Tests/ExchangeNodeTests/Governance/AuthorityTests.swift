import AllianceTestSupport
import AsyncHTTPClient
import ExchangeProtocol
import Foundation
import NIOHTTP1
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// The authority model, checked on a real node: every endpoint of both listeners is called by every
/// kind of caller, and each answer is compared with ``AuthorityTable`` (which docs/authority.md
/// must list row for row).
@Suite("Authority", .serialized)
struct AuthorityTests {
    static let origin = "beta-rides"

    /// Who calls. Certificate holders reach the peer listener; on the internal listener only the
    /// bearer token counts.
    enum CallerKind: String, CaseIterable, Sendable {
        case peerNode = "peer node (configured node peer)"
        case coordinator = "coordinator (coordinator-role certificate, configured as coordinator)"
        case operatorCertificate = "operator-role certificate (its member configured as a node peer)"
        case strangerCertificate = "valid alliance certificate, not a configured peer"
        case noCertificate = "no client certificate"
        case internalToken = "internal bearer token"
        case wrongToken = "wrong bearer token"

        /// The certificate presented (member id), nil for none.
        var certificate: String? {
            switch self {
            case .peerNode: "alpha-mall"
            case .coordinator: "the-coordinator"
            case .operatorCertificate: "ops-desk"
            case .strangerCertificate: "stranger-shop"
            case .noCertificate, .internalToken, .wrongToken: nil
            }
        }

        /// The role the peer listener should establish, nil when it must refuse the caller.
        var peerRole: CallerRole? {
            switch self {
            case .peerNode: .peer
            case .coordinator: .coordinator
            default: nil
            }
        }
    }

    /// What an admitted call answers (a valid request for each endpoint).
    static let admittedStatus: [String: Int] = [
        "peer.health": 200, "feed": 200, "digest": 200, "appeals.file": 201, "appeals.read": 200,
        "mask": 404,  // admitted, but this node uses the keyed-hash scheme
        "held": 200,  // what this node holds of the caller's own feed (nothing here: an empty page)
        "internal.health": 200, "internal.ready": 200, "metrics": 200, "screen": 200, "outbox.read": 200, "outbox.ack": 200,
        "contract": 200, "watch.add": 200, "watch.remove": 200, "watch.status": 200,
        "keys.rotate": 409,  // admitted, but the keyed-hash key is rotated by the coordinator
    ]

    static func makeAlliance() throws -> TestAlliance {
        try TestAlliance(
            "authority", nodes: ["alpha-mall", origin],
            extraCertificates: [("the-coordinator", .coordinator), ("ops-desk", .operator), ("stranger-shop", .node),
                                ("slow-shop", .node)],
            peer: { member, other, url in
                guard member == origin else { return other == origin ? PeerConfig(member: other, url: url) : nil }
                switch other {
                case "the-coordinator": return PeerConfig(member: other, url: url, role: .coordinator)
                case "ops-desk": return PeerConfig(member: other, url: url, role: .node)
                case "slow-shop": return PeerConfig(member: other, url: url, requestsPerSecond: 1)
                case "stranger-shop": return nil
                default: return PeerConfig(member: other, url: url)
                }
            })
    }

    @Test("every endpoint × every caller answers as the authority table says")
    func everyEndpointEveryRole() async throws {
        let alliance = try Self.makeAlliance()
        defer { alliance.shutdown() }
        try alliance.importEntries(Self.origin, ["BR-1,black,brushing,1,phone,13912340001"])
        let origin = alliance.context(Self.origin)
        let token = try String(contentsOf: origin.home.internalTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        // An appeal alpha-mall filed, for GET /v1/appeals/{id}.
        let existing = try AppealIntake(context: origin).receive(
            AppealSubmission(appealID: AppealID.make(), entryID: "BR-1", reason: "refunded", filedAt: "2026-11-23T10:00:00.000Z"),
            from: "alpha-mall", visibility: PeerVisibility(lists: ListKind.allCases)).appeal
        let peerBase = alliance.url(Self.origin)
        // The expected answers come from the documented table (the specification), not from the code's.
        let documented = try Self.documentedRoles()
        let internalBase = "http://127.0.0.1:\(alliance.node(Self.origin).internalPort)"

        try await alliance.withServers([Self.origin], internal: true) { _ in
            var clients: [String: HTTPClient] = [:]
            for kind in CallerKind.allCases { clients[kind.rawValue] = try alliance.client(as: kind.certificate) }
            let plain = HTTPClient(eventLoopGroupProvider: .singleton)
            var checked = 0
            for endpoint in AuthorityTable.endpoints {
                let rolesText = documented[Self.key(endpoint)]
                #expect(rolesText != nil, "\(Self.key(endpoint)) is not documented")
                for kind in CallerKind.allCases {
                    var path = endpoint.path.replacingOccurrences(of: "{id}", with: existing.id)
                    var body: String?
                    switch endpoint.name {
                    case "appeals.file":
                        body = #"{"appeal_id":"\#(AppealID.make())","entry_id":"BR-1","reason":"refund shown","filed_at":"2026-11-23T10:00:00.000Z"}"#
                    case "screen": body = #"{"items":[{"ref":"r1","kind":"phone","identifier":"13912340001"}]}"#
                    case "watch.add": body = #"{"items":[{"ref":"w1","kind":"phone","identifier":"13912340001"}]}"#
                    case "watch.remove": body = #"{"refs":["w1"]}"#
                    case "outbox.ack": path += "?through=0&consumer=authority-test"
                    case "mask": body = ""
                    default: break
                    }
                    let method = HTTPMethod(rawValue: endpoint.method)
                    let answer: HTTPAnswer
                    let expected: Int?
                    switch endpoint.listener {
                    case .peer:
                        answer = await HTTPAnswer.fetch(clients[kind.rawValue]!, method, peerBase + path, body: body)
                        if kind.certificate == nil {
                            expected = nil  // the TLS handshake refuses a client without a certificate
                        } else if let role = kind.peerRole, Self.documentedAdmits(rolesText, role) {
                            expected = Self.admittedStatus[endpoint.name]
                        } else {
                            expected = 403
                        }
                    case .internal:
                        let bearer: [(String, String)] = switch kind {
                        case .internalToken: [("Authorization", "Bearer \(token)")]
                        case .wrongToken: [("Authorization", "Bearer \(String(token.reversed()))")]
                        default: []
                        }
                        answer = await HTTPAnswer.fetch(plain, method, internalBase + path, body: body, headers: bearer)
                        expected = Self.documentedAdmits(rolesText, kind == .internalToken ? .internal : nil)
                            ? Self.admittedStatus[endpoint.name] : 401
                    }
                    #expect(expected != nil || endpoint.listener == .peer, "no admitted status for \(endpoint.name)")
                    #expect(answer.status == expected,
                            "\(endpoint.listener.rawValue) \(endpoint.method) \(endpoint.path) as \(kind.rawValue): \(answer)")
                    if expected == nil { #expect(answer.transportError != nil) }
                    checked += 1
                }
            }
            #expect(checked == AuthorityTable.endpoints.count * CallerKind.allCases.count)

            // A route that is not in the table is refused even to a peer.
            let unknown = await HTTPAnswer.fetch(clients[CallerKind.peerNode.rawValue]!, .GET, peerBase + "/v1/entries")
            #expect(unknown.status == 403)
            // Only the filer may read an appeal: another configured peer learns nothing.
            let slow = try alliance.client(as: "slow-shop")
            let other = await HTTPAnswer.fetch(slow, .GET, peerBase + "/v1/appeals/\(existing.id)")
            #expect(other.status == 404 && !other.body.contains("alpha-mall"))
            try await slow.shutdown()
            for client in clients.values { try await client.shutdown() }
            try await plain.shutdown()
        }
        // Every refusal of a certificate holder is audited with who it was.
        try origin.audit.flush()
        let lines = try auditText(of: origin.home).split(separator: "\n")
        for actor in ["the-coordinator", "ops-desk", "stranger-shop"] {
            #expect(lines.contains { $0.contains(#""actor":"\#(actor)""#) && $0.contains(#""outcome":"refused""#) }, "\(actor)")
        }
        #expect(lines.contains { $0.contains(#""actor":"the-coordinator""#) && $0.contains(#""reason":"role-not-allowed""#) })
        #expect(lines.contains { $0.contains(#""reason":"not-in-authority-table""#) })
    }

    @Test("per-peer rate limit on the peer listener (requests_per_second from the peers file)")
    func rateLimit() async throws {
        let alliance = try Self.makeAlliance()
        defer { alliance.shutdown() }
        let base = alliance.url(Self.origin)
        try await alliance.withServers([Self.origin]) { _ in
            let slow = try alliance.client(as: "slow-shop")
            let fast = try alliance.client(as: "alpha-mall")
            var slowStatuses: [Int?] = []
            var fastStatuses: [Int?] = []
            for _ in 0..<6 {
                slowStatuses.append(await HTTPAnswer.fetch(slow, .GET, base + "/v1/health").status)
                fastStatuses.append(await HTTPAnswer.fetch(fast, .GET, base + "/v1/health").status)
            }
            // Capacity is two seconds' worth (2 requests at 1/s): the rest within the burst are 429.
            #expect(slowStatuses.prefix(2).allSatisfy { $0 == 200 })
            #expect(slowStatuses.contains(429))
            #expect(fastStatuses.allSatisfy { $0 == 200 }, "one peer's limit does not touch another's")
            // Appeals draw on the same bucket: a burst of them is cut off with 429 too. (A single appeal right
            // after emptying the bucket is not enough on a loaded machine: a token may refill in between, and the
            // appeal is then answered for its body, 400.)
            var appeals: [Int?] = []
            for _ in 0..<5 { appeals.append(await HTTPAnswer.fetch(slow, .POST, base + "/v1/appeals", body: "{}").status) }
            #expect(appeals.contains(429), "appeals are limited like every peer endpoint: \(appeals)")
            #expect(appeals.allSatisfy { $0 == 429 || $0 == 400 }, "\(appeals)")
            try await slow.shutdown()
            try await fast.shutdown()
        }
    }

    @Test("docs/authority.md lists exactly the endpoints and roles of the authority table")
    func documentationMatchesTable() throws {
        let documented = Set(try Self.documentedRoles().map { "\($0.key) \($0.value)" })
        let table = Set(AuthorityTable.endpoints.map { "\(Self.key($0)) \(Self.rolesText($0))" })
        #expect(documented == table, "in docs only: \(documented.subtracting(table)); in code only: \(table.subtracting(documented))")
    }

    /// The endpoints table of docs/authority.md: `listener METHOD path` → roles text.
    static func documentedRoles() throws -> [String: String] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/authority.md")
        var rows: [String: String] = [:]
        for line in try String(contentsOf: docs, encoding: .utf8).split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, let listener = AuthorityTable.Listener(rawValue: cells[0]) else { continue }
            rows["\(listener.rawValue) \(cells[1]) \(cells[2].trimmingCharacters(in: CharacterSet(charactersIn: "`")))"] = cells[3]
        }
        return rows
    }

    static func key(_ endpoint: AuthorityTable.Endpoint) -> String { "\(endpoint.listener.rawValue) \(endpoint.method) \(endpoint.path)" }

    /// Whether the documented roles text admits `role` (nil: a caller with no credential).
    static func documentedAdmits(_ rolesText: String?, _ role: CallerRole?) -> Bool {
        guard let rolesText else { return false }
        if rolesText == openText { return true }
        guard let role else { return false }
        return rolesText.components(separatedBy: ", ").contains(role.rawValue)
    }

    static let openText = "anyone (no credential)"

    /// How the docs table writes an endpoint's roles.
    static func rolesText(_ endpoint: AuthorityTable.Endpoint) -> String {
        endpoint.open ? openText : CallerRole.allCases.filter { endpoint.roles.contains($0) }.map(\.rawValue).joined(separator: ", ")
    }
}
