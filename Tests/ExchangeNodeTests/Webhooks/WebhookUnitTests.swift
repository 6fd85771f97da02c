import Foundation
import GRDB
import Testing

@testable import ExchangeNode

/// The parts of webhook delivery that need no network: the signature a receiver checks, the backoff,
/// what a registration may say, and which outbox records make a batch.
@Suite("Webhooks: signature, backoff, registration, batches")
struct WebhookUnitTests {
    @Test("the signature is v1= and HMAC-SHA256 over TIMESTAMP.BODY, as Python's hmac computes it")
    func signatureMatchesTheDocumentedRecipe() {
        let signer = WebhookSigner(secret: Data("supersecretsupersecret".utf8))
        let body = Array(#"{"webhook":"t","records":[]}"#.utf8)
        // python3: hmac.new(b"supersecretsupersecret", b"1733500000." + body, hashlib.sha256).hexdigest()
        #expect(signer.signature(timestamp: 1_733_500_000, body: body)
                == "v1=3edbcd89f42d7489e81f4f1f2ed9d1c63805fccadf754be0d13faa55723a8406")
        #expect(signer.signature(timestamp: 1_733_500_001, body: body) != signer.signature(timestamp: 1_733_500_000, body: body))
    }

    @Test("backoff doubles from one second and stops at the endpoint's maximum")
    func backoffDoublesUpToTheMaximum() {
        let backoff = WebhookBackoff(maximum: 300)
        #expect([1, 2, 3, 4, 9, 10, 40].map { backoff.seconds(afterFailures: $0, jitter: 1) } == [1, 2, 4, 8, 256, 300, 300])
        #expect(backoff.seconds(afterFailures: 3, jitter: 1.2) == 4.8)
    }

    @Test("a registration refuses plain http off loopback, user info, unknown types and out-of-range limits")
    func registrationRules() throws {
        func refusal(_ make: () throws -> WebhookRegistration) -> String? {
            do { _ = try make(); return nil } catch { return "\(error)" }
        }
        let ok = try WebhookRegistration(id: "enforcement", url: "https://enforce.internal/hooks", createdAt: "t")
        #expect(ok.types == ["match", "retraction", "appeal-decided"] && ok.batchSize == 100 && ok.maxAttempts == 10)
        _ = try WebhookRegistration(id: "local", url: "http://127.0.0.1:9000/hook", createdAt: "t")
        #expect(refusal { try WebhookRegistration(id: "x", url: "http://enforce.internal/hook", createdAt: "t") }?
                    .contains("loopback") == true)
        #expect(refusal { try WebhookRegistration(id: "x", url: "https://user:pw@enforce.internal/", createdAt: "t") }?
                    .contains("user info") == true)
        #expect(refusal { try WebhookRegistration(id: "Bad_ID", url: "https://a.example/", createdAt: "t") }?.contains("id") == true)
        #expect(refusal { try WebhookRegistration(id: "x", url: "https://a.example/", types: ["match", "bogus"], createdAt: "t") }?
                    .contains("types") == true)
        #expect(refusal { try WebhookRegistration(id: "x", url: "https://a.example/", batchSize: 0, createdAt: "t") } != nil)
        #expect(refusal { try WebhookRegistration(id: "x", url: "https://a.example/", maxAttempts: 0, createdAt: "t") } != nil)
        #expect(WebhookRegistration.isLoopback("[::1]") && WebhookRegistration.isLoopback("localhost")
                && !WebhookRegistration.isLoopback("10.0.0.1"))
    }

    @Test("a batch holds the endpoint's types in seq order, and a run of other types can be passed")
    func batchesFilterByTypeInOrder() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL)")
            for type in ["appeal-decided", "appeal-decided", "match", "retraction", "appeal-decided", "match", "match"] {
                try db.execute(sql: "INSERT INTO outbox (created_at, type, body) VALUES (0, ?, ?)", arguments: [type, #"{"type":"\#(type)"}"#])
            }
        }
        try queue.read { db in
            let first = try WebhookBatch.next(after: 0, types: ["match", "retraction"], limit: 3, db)
            #expect(first.records.map(\.seq) == [3, 4, 6] && first.skippableThrough == 2)
            #expect(String(decoding: first.body(webhook: "w"), as: UTF8.self)
                    == #"{"webhook":"w","records":[{"seq":3,"record":{"type":"match"}},{"seq":4,"record":{"type":"retraction"}},{"seq":6,"record":{"type":"match"}}]}"#)
            let rest = try WebhookBatch.next(after: 6, types: ["match", "retraction"], limit: 3, db)
            #expect(rest.records.map(\.seq) == [7])
            let onlyAppeals = try WebhookBatch.next(after: 0, types: ["retraction"], limit: 1, db)
            #expect(onlyAppeals.records.map(\.seq) == [4] && onlyAppeals.skippableThrough == 3)
            let none = try WebhookBatch.next(after: 7, types: ["match"], limit: 5, db)
            let head = try WebhookBatch.head(db)
            #expect(none.records.isEmpty && none.skippableThrough == 0 && head == 7)
        }
    }
}
