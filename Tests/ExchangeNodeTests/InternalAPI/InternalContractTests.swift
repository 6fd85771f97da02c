import AllianceHTTP
import AllianceTestSupport
import Foundation
import HTTPTypes
import Testing

@testable import ExchangeNode

/// The internal listener and its contract cannot drift apart: the routes it registers are exactly the
/// operations of docs/openapi.yaml, and the copy it serves is the file. (scripts/schemathesis.sh proves the
/// answers against the schemas on a live node.)
@Suite("Internal API: routes and contract")
struct InternalContractTests {
    static let contractFile = TestPaths.packageRoot.appending(path: "docs/openapi.yaml")

    /// `METHOD PATH` of every operation in the contract (paths at two spaces, methods at four), and
    /// whether it is marked `x-pending` (specified, not served yet).
    static func contractOperations(_ text: String) -> [String: Bool] {
        var operations: [String: Bool] = [:]
        var path: String?
        var operation: String?
        var inPaths = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inPaths = line == "paths:"; path = nil; operation = nil; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
                operation = nil
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = String(line.trimmingCharacters(in: .whitespaces).dropLast())
                operation = ["get", "post", "put", "patch", "delete"].contains(method) ? "\(method.uppercased()) \(path)" : nil
                if let operation { operations[operation] = false }
            } else if let operation, line.hasPrefix("      x-pending:") {
                operations[operation] = true
            }
        }
        return operations
    }

    @Test("the node serves docs/openapi.yaml byte for byte (run scripts/embed-openapi.sh after editing it)")
    func servedContractIsTheFile() throws {
        let file = try String(contentsOf: Self.contractFile, encoding: .utf8)
        #expect(OpenAPIDocument.yaml == file)
    }

    @Test("every route of the internal listener is an operation of the contract, and the reverse (but pending ones)")
    func routesAreTheContractsOperations() throws {
        let contract = Self.contractOperations(try String(contentsOf: Self.contractFile, encoding: .utf8))
        let served = Set(contract.filter { !$0.value }.keys)
        let pending = Set(contract.filter { $0.value }.keys)
        let routes = Set(InternalServer.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(contract.count >= 10)
        #expect(routes == served, "only in code: \(routes.subtracting(served).sorted()); only in the contract: \(served.subtracting(routes).sorted())")
        #expect(routes.isDisjoint(with: pending), "served now, remove x-pending from the contract: \(routes.intersection(pending).sorted())")
    }

    @Test("screen bodies: the batch, the single item, null as_of; too many items is 413, a bad field is 400")
    func screenRequestParsing() throws {
        func parse(_ text: String) -> Result<ScreenRequest, APIError> {
            do { return .success(try ScreenRequest.parse(Array(text.utf8))) } catch { return .failure(error) }
        }
        let batch = try parse(#"{"items":[{"ref":"a","kind":"phone","identifier":"1"}],"as_of":"2026-07-01"}"#).get()
        #expect(batch.items.map(\.ref) == ["a"] && batch.day?.description == "2026-07-01")
        #expect(try parse(#"{"items":[],"as_of":null}"#).get().day == nil)
        #expect(try parse(#"{"ref":"b","kind":"email","identifier":"x@example.com"}"#).get().items.map(\.ref) == ["b"])
        let tooMany = "{\"items\":[" + Array(repeating: #"{"ref":"r","kind":"phone","identifier":"1"}"#, count: 10_001).joined(separator: ",") + "]}"
        func code(_ text: String) -> APIError.Code? { if case .failure(let error) = parse(text) { error.code } else { nil } }
        #expect(code(tooMany) == .tooManyItems)
        #expect(code(#"{"items":[{"ref":"","kind":"phone","identifier":"1"}]}"#) == .malformedRequest)
        #expect(code(#"{"items":[{"ref":"a","kind":"phone","identifier":"\#(String(repeating: "1", count: 1025))"}]}"#) == .malformedRequest)
        #expect(code(#"{"items":[],"as_of":"2026-02-30"}"#) == .malformedRequest)
        #expect(code(#"{"items":[],"as_of":"2026-7-1"}"#) == .malformedRequest)
        #expect(code(#"{"items":"x"}"#) == .malformedRequest)
        #expect(code("[]") == .malformedRequest)
    }

    @Test("outbox cursors: absent takes the default, a negative or non-decimal value is refused")
    func outboxCounts() {
        #expect(OutboxAPI.count(nil, default: 0, minimum: 0) == 0)
        #expect(OutboxAPI.count(nil, default: nil, minimum: 0) == nil)
        #expect(OutboxAPI.count("42", default: nil, minimum: 0) == 42)
        #expect(OutboxAPI.count("-1", default: 0, minimum: 0) == nil)
        #expect(OutboxAPI.count("0", default: 1000, minimum: 1) == nil)
        #expect(OutboxAPI.count("1.5", default: 0, minimum: 0) == nil)
        #expect(OutboxAPI.count("99999999999999999999", default: 0, minimum: 0) == nil)
    }

    @Test("a route's own refusal is rewritten in the contract's shape, with the code its status and content stand for")
    func refusalsGetTheirCode() async throws {
        func rewritten(_ body: some Encodable & Sendable, _ status: HTTPResponse.Status) async -> (Int, String) {
            let answer = await APIError.conforming(APIResponse.json(body, status: status))
            return (Int(answer.status.code), String(decoding: await ResponseBodyCollector.bytes(of: answer.body), as: UTF8.self))
        }
        #expect(await rewritten(ErrorBody("body must be {\"refs\":[...]}"), .badRequest)
                == (400, #"{"error":"body must be {\"refs\":[...]}","code":"malformed-request"}"#))
        #expect(await rewritten(ErrorBody("at most 10000 refs per request"), .contentTooLarge)
                == (413, #"{"error":"at most 10000 refs per request","code":"too-many-items"}"#))
        #expect(await rewritten(ErrorBody("cannot read the watch status"), .internalServerError)
                == (500, #"{"error":"cannot read the watch status","code":"internal"}"#))
        struct Refused: Encodable, Sendable { let registered = 0; let rejected = [ScreenAnswer.Rejection(ref: "r1", reason: "unknown identifier kind")] }
        #expect(await rewritten(Refused(), .badRequest)
                == (400, #"{"error":"1 item refused","code":"rejected-items","rejected":[{"ref":"r1","reason":"unknown identifier kind"}]}"#))
    }
}
