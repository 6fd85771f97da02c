import AllianceTestSupport
import CoordinatorTestSupport
import Crypto
import Foundation
import Testing

@testable import ExchangeCoordinator
@testable import ExchangeProtocol

/// The daily report's wire format: canonical bytes, signature (checked with openssl too), strict
/// decoding, and the counter vocabulary.
@Suite("Daily report format")
struct DailyReportFormatTests {
    static let counters = ["screened": 12, "matches.origin.beta": 2, "matches": 3, "matches.category.brushing": 3]

    @Test("canonical bytes: header, member, day, then counters in byte order of the key")
    func canonicalBytes() {
        let bytes = DailyReport.canonicalBytes(member: "alpha", day: "2026-08-01", counters: Self.counters)
        #expect(String(decoding: bytes, as: UTF8.self) == """
            exchange-node/report/v1
            member alpha
            day 2026-08-01
            matches 3
            matches.category.brushing 3
            matches.origin.beta 2
            screened 12

            """)
    }

    @Test("the signature verifies with the signer's key only, and fails after any change")
    func signature() throws {
        let key = P256.Signing.PrivateKey()
        let report = try DailyReport.signed(member: "alpha", day: "2026-08-01", counters: Self.counters, key: key)
        #expect(report.isSigned(by: key.publicKey))
        #expect(!report.isSigned(by: P256.Signing.PrivateKey().publicKey))
        var changed = Self.counters
        changed["screened"] = 13
        #expect(!DailyReport(member: "alpha", day: "2026-08-01", counters: changed, signature: report.signature).isSigned(by: key.publicKey))
        #expect(!DailyReport(member: "alpha", day: "2026-08-02", counters: Self.counters, signature: report.signature).isSigned(by: key.publicKey))
        #expect(!DailyReport(member: "alphb", day: "2026-08-01", counters: Self.counters, signature: report.signature).isSigned(by: key.publicKey))
        #expect(!DailyReport(member: "alpha", day: "2026-08-01", counters: Self.counters, signature: Data([1, 2, 3])).isSigned(by: key.publicKey))
    }

    @Test("openssl verifies the signature over the canonical bytes as ECDSA P-256 SHA-256 DER")
    func opensslVerifies() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let key = P256.Signing.PrivateKey()
        let report = try DailyReport.signed(member: "alpha", day: "2026-08-01", counters: Self.counters, key: key)
        let message = directory.path + "/message", signature = directory.path + "/signature", publicKey = directory.path + "/public.pem"
        try Data(report.canonicalBytes).write(to: URL(fileURLWithPath: message))
        try report.signature.write(to: URL(fileURLWithPath: signature))
        try key.publicKey.pemRepresentation.write(toFile: publicKey, atomically: true, encoding: .utf8)
        let verified = try await ChildProcess.run(TestPaths.openssl, ["dgst", "-sha256", "-verify", publicKey, "-signature", signature, message])
        #expect(verified.exitCode == 0, "\(verified.output)")
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: message))
        #expect(try await ChildProcess.run(TestPaths.openssl, ["dgst", "-sha256", "-verify", publicKey, "-signature", signature, message]).exitCode != 0)
    }

    @Test("JSON round trip, and strict decoding that names fields, never values")
    func decoding() throws {
        let report = try DailyReport.signed(member: "alpha", day: "2026-08-01", counters: Self.counters, key: P256.Signing.PrivateKey())
        #expect(try ReportIntake.decode(try report.jsonBytes()) == report)
        let cases: [(String, String)] = [
            (#"{"member":"alpha","day":"2026-08-01","counters":{},"signature":"AA==","phone":"+8613800138000"}"#, "unexpected"),
            (#"{"member":"alpha","day":"2026-08-01","counters":{}}"#, "missing field 'signature'"),
            (#"{"member":"alpha","day":"2026-08-01","counters":{"screened":"+8613800138000"},"signature":"AA=="}"#, "counters.*"),
            (#"{"member":"alpha","day":"2026-08-01","counters":{},"signature":"not base64!"}"#, "signature"),
            ("+8613800138000", "not a JSON object"),
        ]
        for (body, expected) in cases {
            #expect(throws: ReportRefusal.self) { try ReportIntake.decode(Array(body.utf8)) }
            do {
                _ = try ReportIntake.decode(Array(body.utf8))
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
                #expect(!error.description.contains("13800138000"))
                #expect(error.status == 400)
            }
        }
    }

    @Test("the vocabulary: CounterKey names, written canonically, protocol categories, member-id origins")
    func vocabulary() {
        for name in ["screened", "matches", "distinct_entries", "retractions", "revocations", "revocations.reason.erroneous",
                     "entries.published", "appeals.filed", "appeals.overdue", "matches.list.red", "matches.severity.3",
                     "matches.measure.M13", "matches.category.personal-data-leak", "matches.origin.gamma-pay"] {
            #expect(ReportVocabulary.accepts(name), "\(name)")
        }
        for name in ["", "phone", "matches.origin.", "matches.origin.Gamma", "matches.origin.+8613800138000",
                     "matches.category.13800138000", "matches.category.not-a-category", "matches.severity.02",
                     "matches.severity.4", "matches.measure.M14", "matches.list.grey", "revocations.reason.bribed",
                     "screened ", "screened\n1"] {
            #expect(!ReportVocabulary.accepts(name), "\(name)")
        }
        #expect(ReportVocabulary.accepts("matches.origin.beta", origins: ["beta"]))
        #expect(!ReportVocabulary.accepts("matches.origin.beta", origins: ["alpha"]))
    }
}
