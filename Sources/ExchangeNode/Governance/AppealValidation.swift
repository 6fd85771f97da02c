import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Field checks shared by the filer (before sending) and the origin (on arrival).
enum AppealValidation {
    struct Valid: Sendable {
        let appealID: String
        let entryID: String
        let reason: String
        let filedAt: String
    }

    static func submission(_ submission: AppealSubmission) throws(AppealError) -> Valid {
        guard let id = AppealID.normalise(submission.appealID) else { throw .malformed("appeal_id must be a UUID") }
        try entryID(submission.entryID)
        guard isTimestamp(submission.filedAt) else {
            throw .malformed("filed_at must be an ISO 8601 UTC timestamp (YYYY-MM-DDTHH:MM:SS[.mmm]Z)")
        }
        do {
            try FreeTextGuard.check(submission.reason, field: "reason")
        } catch {
            throw .text(error)
        }
        return Valid(appealID: id, entryID: submission.entryID, reason: submission.reason, filedAt: submission.filedAt)
    }

    /// 1–128 characters without spaces or control characters (as `import` accepts them).
    static func entryID(_ text: String) throws(AppealError) {
        guard !text.isEmpty, text.utf8.count <= 128,
              !text.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
            throw .malformed("entry_id must be 1-128 characters without spaces or control characters")
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` with optional fraction and a `Z`: nothing else can ride in it.
    static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (20...30).contains(bytes.count), Day(parsing: String(decoding: bytes[0..<10], as: UTF8.self)) != nil,
              bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z") else { return false }
        let clock = bytes[11..<(bytes.count - 1)]
        return clock.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
    }
}
