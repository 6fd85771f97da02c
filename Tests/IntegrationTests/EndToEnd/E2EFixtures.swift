/// Input files for the end-to-end tests: entries CSVs, accounts CSVs, valid identifiers made on demand.
enum E2EFixtures {
    static let entriesHeader = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on"

    /// One entries row, listed for 2026.
    static func entryRow(
        _ id: String, list: String = "black", category: String = "brushing", severity: Int = 1,
        kind: String, identifier: String
    ) -> String {
        "\(id),\(list),\(category),\(severity),\(kind),\(identifier),2026-01-01,2027-01-01"
    }

    /// A resident id (GB 11643-1999) from its 17-digit body, with the correct MOD 11-2 check character.
    static func residentID(body: String) -> String {
        body + String(residentIDCheckCharacter(body: body))
    }

    /// The MOD 11-2 check character of a 17-digit body.
    static func residentIDCheckCharacter(body: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = body.compactMap(\.wholeNumberValue)
        precondition(digits.count == 17, "a resident-id body has 17 digits")
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return Array("10X98765432")[sum % 11]
    }

    /// A resident id whose check character is wrong (the correct one shifted to another value).
    static func residentIDWithBadCheck(body: String) -> String {
        let good = residentIDCheckCharacter(body: body)
        let wrong: Character = good == "1" ? "2" : "1"
        return body + String(wrong)
    }

    /// `count` single-identifier entries with mainland mobile numbers 13900000000 + i (as a CSV).
    static func phoneEntriesCSV(count: Int, idPrefix: String = "E") -> String {
        var text = entriesHeader + "\n"
        text.reserveCapacity(count * 64)
        for index in 0..<count {
            text += entryRow("\(idPrefix)\(index)", kind: "phone", identifier: String(13_900_000_000 + index)) + "\n"
        }
        return text
    }
}
