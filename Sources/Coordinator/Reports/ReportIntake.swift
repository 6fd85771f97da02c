import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// Accepts or refuses one `POST /v1/reports` body from an authorised node: the JSON must be a
/// ``DailyReport`` for the calling member, signed with the key of the certificate it presented,
/// within the vocabulary; then it replaces that member's report for the day.
struct ReportIntake {
    let coordinator: CoordinatorContext

    /// What was stored.
    struct Accepted: Sendable {
        let report: DailyReport
        let outcome: ReportStore.Outcome
    }

    func receive(body: [UInt8], from caller: CoordinatorCaller, today: Day = NodeClock.today(),
                 at millis: Int64 = NodeClock.nowMillis()) throws(ReportRefusal) -> Accepted {
        let report = try Self.decode(body)
        guard report.member == caller.member else { throw .memberMismatch }
        guard let publicKey = caller.publicKey, report.isSigned(by: publicKey) else { throw .badSignature }
        let origins: Set<String>
        do {
            origins = Set(try coordinator.registry().nodes.map(\.member))
        } catch {
            throw .unavailable
        }
        _ = try ReportVocabulary.check(report, origins: origins, today: today)
        do {
            let outcome = try coordinator.store.replace(report, certificateSerial: caller.serialHex, receivedAt: millis)
            return Accepted(report: report, outcome: outcome)
        } catch {
            coordinator.logger.error("cannot store a report", metadata: ["member": "\(caller.member)", "error": "\(error)"])
            throw .unavailable
        }
    }

    /// Strict decoding; the error names the field, never the value.
    static func decode(_ body: [UInt8]) throws(ReportRefusal) -> DailyReport {
        do {
            return try JSONDecoder().decode(DailyReport.self, from: Data(body))
        } catch let DecodingError.keyNotFound(key, _) {
            throw .malformed("missing field '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .malformed("field '\(fieldName(context.codingPath))' has the wrong type")
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw .malformed("field '\(fieldName(context.codingPath))' is not valid")
        } catch {
            throw .malformed("not a JSON object")
        }
    }

    /// Top-level field names only: a counter's key is reported as `counters.*`.
    private static func fieldName(_ path: [any CodingKey]) -> String {
        guard let first = path.first else { return "" }
        let known = DailyReport.CodingKeys(rawValue: first.stringValue)
        guard let known else { return "(unexpected field)" }
        return path.count > 1 ? "\(known.rawValue).*" : known.rawValue
    }
}
