import ExchangeCrypto
import ExchangeProtocol

/// An entry as an import file describes it, validated but not yet stored.
struct PlannedEntry: Sendable {
    let entryID: String
    let list: ListKind
    let category: Category
    let severity: Severity
    let role: SubjectRole?
    let listedOn: Day
    let expiresOn: Day?
    var identifiers: [SubjectIdentifier]
    /// The line where the entry first appears (for messages).
    let firstLine: Int
}
