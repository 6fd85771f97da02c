import Crypto
import Foundation
import Testing

@testable import ExchangeAudit

@Suite("Audit log: many writers")
struct AuditConcurrencyTests {
    typealias Support = AuditTestSupport

    @Test("8 tasks appending at once keep one valid chain and lose nothing")
    func eightWriters() async throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let log = try AuditLog(directory: directory, signingKey: key, checkpointEvery: 100)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for n in 0..<500 {
                        log.append(Support.event(n, actor: "member-\(writer)"))
                        if n % 100 == 99 { try? log.flush() }
                    }
                }
            }
        }
        try log.close()
        #expect(log.failureCount == 0)
        let v = Support.verify(directory, key)
        #expect(v.isIntact)
        #expect(v.records == 4000 + 40)  // records and interval checkpoints (the last record is one, so close adds none)
        #expect(v.checkpointsVerified == 40)
        let records = Support.lines(directory).map(Support.record)
        for writer in 0..<8 {
            let mine = records.filter { $0.actor == "member-\(writer)" }
            #expect(mine.count == 500)
            #expect(mine.map { $0.detail["fromSeq"]! } == (0..<500).map(String.init))  // each writer's order kept
        }
    }
}
