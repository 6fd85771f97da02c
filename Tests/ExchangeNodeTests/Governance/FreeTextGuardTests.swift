import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import NodeTestSupport
import Testing

@testable import ExchangeNode

@Suite("Appeal text guard")
struct FreeTextGuardTests {
    /// Identifiers written the ways people write them, inside prose, with the kind the guard must name.
    static let planted: [(String, IdentifierKind)] = [
        ("call him on 13800138000 please", .phone),
        ("tel: +86 138 0013 8000.", .phone),
        ("电话13912345678，已退款", .phone),
        ("号码：１３９１２３４５６７８", .phone),
        ("reach 0086-139-1234-5678 today", .phone),
        ("ID 11010519491231002X shows", .residentID),
        ("身份证号11010519491231002x。", .residentID),
        ("company (91350100M000100Y43) paid", .uscc),
        ("card 6222 0202 0011 2233 446 refunded", .bankCard),
        ("card 6222020200112233446", .bankCard),
        ("write to Reviews@Example.com for proof", .email),
    ]

    @Test("refuses text containing an identifier, naming the kind and position, never the value")
    func refusesPlantedIdentifiers() throws {
        for (text, kind) in Self.planted {
            do {
                try FreeTextGuard.check(text, field: "reason")
                Issue.record("accepted an identifier of kind \(kind.rawValue): case \(Self.planted.firstIndex { $0.0 == text }!)")
            } catch {
                guard case .containsIdentifier(_, let finding) = error else {
                    Issue.record("wrong problem \(error)")
                    continue
                }
                #expect(finding.kind == kind, "\(finding)")
                let shown = Array(text)[(finding.firstCharacter - 1)..<finding.lastCharacter]
                #expect((try? SubjectIdentifier(kind: kind, parsing: String(shown))) != nil,
                        "positions point at the identifier")
                for digitsOrWord in ["13800138000", "0013", "11010519491231002", "91350100M000100Y43", "6222", "Reviews@"] {
                    #expect(!error.description.contains(digitsOrWord))
                }
            }
        }
    }

    @Test("accepts ordinary evidence: dates, order numbers, amounts, short numbers, member ids")
    func acceptsOrdinaryText() throws {
        let texts = [
            "The subject rectified on 2026-03-01; orders 2026-0042 and 2026-0043 were refunded (CNY 1,280.00).",
            "账户持有人已于2026年3月2日全额退款，订单号 88231 与 88232。",
            "Listed by mistake: the batch of 2026-02-15 mixed up two sellers. See ticket BR-100/7.",
            "Phone calls on 3 days, 12 complaints, 140 reviews removed.",
            "alpha-mall risk team, case 2026/114, reviewed at 14:30.",
        ]
        for text in texts { try FreeTextGuard.check(text, field: "reason") }
    }

    @Test("length, emptiness and control characters")
    func limits() {
        #expect(throws: FreeTextGuard.Problem.tooLong(field: "reason", characters: 2001)) {
            try FreeTextGuard.check(String(repeating: "a", count: 2001), field: "reason")
        }
        #expect(throws: Never.self) { try FreeTextGuard.check(String(repeating: "退", count: 2000), field: "reason") }
        #expect(throws: FreeTextGuard.Problem.empty(field: "reason")) { try FreeTextGuard.check("  \n ", field: "reason") }
        #expect(throws: FreeTextGuard.Problem.controlCharacters(field: "reason")) { try FreeTextGuard.check("a\u{1b}[2Jb", field: "reason") }
    }

    @Test("the origin applies the same checks to a submission, field by field")
    func submissionValidation() {
        let good = AppealSubmission(appealID: AppealID.make(), entryID: "BR-1", reason: "refunded", filedAt: "2026-11-23T10:00:00.000Z")
        #expect(throws: Never.self) { try AppealValidation.submission(good) }
        let cases: [(AppealSubmission, String)] = [
            (AppealSubmission(appealID: "not-a-uuid", entryID: "BR-1", reason: "x", filedAt: good.filedAt), "appeal_id"),
            (AppealSubmission(appealID: good.appealID, entryID: "BR 1", reason: "x", filedAt: good.filedAt), "entry_id"),
            (AppealSubmission(appealID: good.appealID, entryID: "", reason: "x", filedAt: good.filedAt), "entry_id"),
            (AppealSubmission(appealID: good.appealID, entryID: "BR-1", reason: "x", filedAt: "13800138000"), "filed_at"),
            (AppealSubmission(appealID: good.appealID, entryID: "BR-1", reason: "x", filedAt: "2026-11-23T10:00:00Z+13800138000"), "filed_at"),
        ]
        for (submission, field) in cases {
            do {
                _ = try AppealValidation.submission(submission)
                Issue.record("accepted a bad \(field)")
            } catch {
                #expect(error.description.contains(field), "\(error)")
                #expect(error.httpStatus == 400)
            }
        }
        let withPhone = AppealSubmission(appealID: good.appealID, entryID: "BR-1", reason: "call 13800138000", filedAt: good.filedAt)
        #expect {
            try AppealValidation.submission(withPhone)
        } throws: { error in
            guard case .text? = error as? AppealError else { return false }
            return true
        }
        #expect((try? AppealValidation.submission(withPhone)) == nil)
    }
}
