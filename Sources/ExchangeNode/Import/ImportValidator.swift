import Foundation
import ExchangeCrypto
import ExchangeProtocol

/// Validates the rows of an entries file one by one and groups them into entries.
/// Problems are collected as `FILE:LINE: field: reason` and never quote an identifier.
struct ImportValidator {
    let fileName: String
    private(set) var entries: [PlannedEntry] = []
    private var indexByID: [String: Int] = [:]
    private(set) var problems: [String] = []
    private(set) var problemCount = 0
    private(set) var rowCount = 0
    static let maxReportedProblems = 200

    init(fileName: String) { self.fileName = fileName }

    mutating func report(line: Int, field: String?, reason: String) {
        problemCount += 1
        guard problems.count < Self.maxReportedProblems else { return }
        problems.append("\(fileName):\(line): " + (field.map { "\($0): " } ?? "") + reason)
    }

    /// Validates one row (`values` in ``EntryColumns`` order).
    mutating func add(line: Int, values: [String?]) {
        rowCount += 1
        func text(_ index: Int) -> String? {
            guard index < values.count, let value = values[index] else { return nil }
            let trimmed = FastText.trimmed(value)
            return trimmed.isEmpty ? nil : trimmed
        }
        let before = problemCount
        let entryID = text(EntryColumns.entryID)
        if let entryID {
            if entryID.utf8.count > 128 || entryID.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7f }) {
                report(line: line, field: "entry_id", reason: "must be 1-128 characters without spaces or control characters")
            }
        } else {
            report(line: line, field: "entry_id", reason: "is required")
        }
        let list = parse(line, "list", text(EntryColumns.list), reason: "unknown list (expected black, watch or red)") { ListKind(rawValue: $0) ?? ListKind(rawValue: $0.lowercased()) }
        let category = parse(line, "category", text(EntryColumns.category), reason: "unknown category code (see README: categories)") { Category(parsing: $0) }
        let severity = parse(line, "severity", text(EntryColumns.severity), reason: "must be 1, 2 or 3") { Int($0).flatMap(Severity.init(rawValue:)) }
        let role: SubjectRole?
        if let raw = text(EntryColumns.role) {
            role = SubjectRole(parsing: raw)
            if role == nil { report(line: line, field: "role", reason: "unknown role code (see README: roles)") }
        } else {
            role = nil
        }
        let listedOn = parse(line, "listed_on", text(EntryColumns.listedOn), reason: "must be a date YYYY-MM-DD") { Day(parsing: $0) }
        var expiresOn: Day?
        if let raw = text(EntryColumns.expiresOn) {
            expiresOn = Day(parsing: raw)
            if expiresOn == nil {
                report(line: line, field: "expires_on", reason: "must be a date YYYY-MM-DD (or empty for no expiry)")
            } else if let listedOn, let expires = expiresOn, expires <= listedOn {
                report(line: line, field: "expires_on", reason: "must be after listed_on")
            }
        }
        var identifier: SubjectIdentifier?
        let kind = parse(line, "kind", text(EntryColumns.kind), reason: "unknown identifier kind (uscc, resident-id, phone, email, domain, bank-card, app, account)") { IdentifierKind(rawValue: $0) ?? IdentifierKind(rawValue: $0.lowercased()) }
        if let kind {
            if let raw = EntryColumns.identifier < values.count ? values[EntryColumns.identifier] : nil, !raw.isEmpty {
                do {
                    identifier = try SubjectIdentifier(kind: kind, parsing: raw)
                } catch {
                    report(line: line, field: "identifier", reason: error.description)
                }
            } else {
                report(line: line, field: "identifier", reason: "is required")
            }
        }
        guard problemCount == before, let entryID, let list, let category, let severity, let listedOn, let identifier else { return }

        if let index = indexByID[entryID] {
            let first = entries[index]
            var mismatched: [String] = []
            if first.list != list { mismatched.append("list") }
            if first.category != category { mismatched.append("category") }
            if first.severity != severity { mismatched.append("severity") }
            if first.role != role { mismatched.append("role") }
            if first.listedOn != listedOn { mismatched.append("listed_on") }
            if first.expiresOn != expiresOn { mismatched.append("expires_on") }
            for field in mismatched {
                report(line: line, field: field, reason: "disagrees with line \(first.firstLine) of the same entry_id")
            }
            if mismatched.isEmpty, !entries[index].identifiers.contains(identifier) {
                guard entries[index].identifiers.count < 64 else {
                    report(line: line, field: "identifier", reason: "an entry may have at most 64 identifiers")
                    return
                }
                entries[index].identifiers.append(identifier)
            }
        } else {
            indexByID[entryID] = entries.count
            entries.append(PlannedEntry(entryID: entryID, list: list, category: category, severity: severity, role: role,
                                        listedOn: listedOn, expiresOn: expiresOn, identifiers: [identifier], firstLine: line))
        }
    }

    private mutating func parse<T>(
        _ line: Int, _ field: String, _ raw: String?, reason: String, _ transform: (String) -> T?
    ) -> T? {
        guard let raw else {
            report(line: line, field: field, reason: "is required")
            return nil
        }
        guard let value = transform(raw) else {
            report(line: line, field: field, reason: reason)
            return nil
        }
        return value
    }
}
