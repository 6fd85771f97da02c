import AllianceHTTP
import Foundation
import Testing

@testable import ExchangeNode

/// The bytes of the node's answers and `screen` lines: the documented field order, as the node wrote
/// them when it built them by hand.
@Suite("Answer formats")
struct AnswerFormatTests {
    static let black = ScreenMatch(ref: "acct-1", kind: "phone", origin: "beta-rides", entryID: "BR-1", list: "black",
                                   category: "brushing", severity: 2, listedOn: "2026-01-15", expiresOn: "2030-12-31",
                                   measures: ["M3", "M5"], incentives: [])
    static let red = ScreenMatch(ref: "acct-\"2\"", kind: "uscc", origin: "alpha-mall", entryID: "AM/9", list: "red",
                                 category: "trustworthy", severity: 1, listedOn: "2026-01-15", expiresOn: nil,
                                 measures: [], incentives: ["credit"])

    @Test("a screen line keeps the documented order; expires_on is null without expiry; incentives only for red")
    func screenLines() throws {
        #expect(Self.black.jsonLine == #"{"ref":"acct-1","kind":"phone","origin":"beta-rides","entry_id":"BR-1","list":"black","category":"brushing","severity":2,"listed_on":"2026-01-15","expires_on":"2030-12-31","measures":["M3","M5"]}"#)
        #expect(Self.red.jsonLine == #"{"ref":"acct-\"2\"","kind":"uscc","origin":"alpha-mall","entry_id":"AM/9","list":"red","category":"trustworthy","severity":1,"listed_on":"2026-01-15","expires_on":null,"measures":[],"incentives":["credit"]}"#)
        #expect(try JSONDecoder().decode(ScreenMatch.self, from: Data(Self.red.jsonLine.utf8)) == Self.red)
    }

    @Test("the /v1/screen answer: matches, rejected, then stale and unreachable origins only when there are some")
    func screenAnswer() throws {
        let plain = ScreenAnswer(matches: [Self.black], rejected: [.init(ref: "r9", reason: "unknown identifier kind")],
                                 staleOrigins: [], unreachableOrigins: [])
        #expect(String(decoding: try JSONAnswerEncoder.bytes(plain), as: UTF8.self)
                == #"{"matches":["# + Self.black.jsonLine + #"],"rejected":[{"ref":"r9","reason":"unknown identifier kind"}]}"#)
        let pairwise = ScreenAnswer(matches: [], rejected: [],
                                    staleOrigins: [StaleOrigin(member: "beta-rides", answeredEpoch: 2, storedEpochs: [1])],
                                    unreachableOrigins: [UnreachableOrigin(member: "gamma-pay", reason: "peer gamma-pay: HTTP 429")])
        #expect(String(decoding: try JSONAnswerEncoder.bytes(pairwise), as: UTF8.self)
                == #"{"matches":[],"rejected":[],"stale_origins":[{"member":"beta-rides","answered_epoch":2,"stored_epochs":[1]}],"unreachable_origins":[{"member":"gamma-pay","reason":"peer gamma-pay: HTTP 429"}]}"#)
    }

    @Test("health, outbox acknowledgement and refusals")
    func smallAnswers() throws {
        func text(_ value: some Encodable) throws -> String { String(decoding: try JSONAnswerEncoder.bytes(value), as: UTF8.self) }
        #expect(try text(HealthAnswer()) == #"{"status":"ok"}"#)
        #expect(try text(HealthAnswer(member: "alpha-mall")) == #"{"member":"alpha-mall","status":"ok"}"#)
        #expect(try text(OutboxAcknowledged(consumer: "default", through: 3)) == #"{"consumer":"default","through":3}"#)
        #expect(try text(ErrorBody("through=SEQ is required")) == #"{"error":"through=SEQ is required"}"#)
        #expect(try text(OriginDigest(origin: "beta-rides", throughSeq: 9, entries: 2, digest: "ab"))
                == #"{"digest":"ab","entries":2,"origin":"beta-rides","through_seq":9}"#)
    }
}
