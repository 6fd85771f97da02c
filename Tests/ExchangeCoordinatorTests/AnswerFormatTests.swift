import AllianceHTTP
import Testing

@testable import ExchangeCoordinator

/// The bytes of the coordinator's small answers, as it wrote them when it built them by hand.
@Suite("Coordinator answer formats")
struct CoordinatorAnswerFormatTests {
    @Test("a stored report and the health answer")
    func answers() throws {
        func text(_ value: some Encodable) throws -> String { String(decoding: try JSONAnswerEncoder.bytes(value), as: UTF8.self) }
        #expect(try text(ReportStored(member: "alpha", day: "2026-08-01", revision: 2))
                == #"{"member":"alpha","day":"2026-08-01","revision":2,"status":"stored"}"#)
        #expect(try text(HealthAnswer(coordinator: "coordinator")) == #"{"coordinator":"coordinator","status":"ok"}"#)
    }
}
