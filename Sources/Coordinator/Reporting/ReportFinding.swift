import ExchangeProtocol

/// One problem the month's data shows, and the next step that answers it, each in English and Chinese.
public struct ReportFinding: Sendable, Hashable {
    /// What kind of problem, stable for tests and tooling.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case memberSilent = "member-silent"
        case reportingGaps = "reporting-gaps"
        case overdueAppeals = "overdue-appeals"
        case categoryRising = "category-rising"
        case erroneousListings = "erroneous-listings"
        case screeningDropped = "screening-dropped"
        case noEntriesPublished = "no-entries-published"
        case breakdownMismatch = "breakdown-mismatch"
        case ignoredRows = "ignored-rows"
    }

    public let kind: Kind
    public let problem: String
    public let problemChinese: String
    public let nextStep: String
    public let nextStepChinese: String
}
