/// The columns of an entries file (CSV header or JSONL keys), in the order rows deliver them.
enum EntryColumns {
    static let required = ["entry_id", "list", "category", "severity", "kind", "identifier", "listed_on", "expires_on"]
    static let optional = ["role"]
    static let entryID = 0, list = 1, category = 2, severity = 3, kind = 4, identifier = 5, listedOn = 6, expiresOn = 7, role = 8
}
