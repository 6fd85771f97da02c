/// The changeover deadline an operator gives (`coordinator token-key rotate --deadline D`): `now`, a
/// duration from now (`90s`, `30m`, `12h`, `7d`), a day (`2026-08-08`, 00:00 UTC) or an ISO 8601 time
/// (`2026-08-08T09:00:00Z`, or any form ``ISO8601/parse(_:lenient:)`` reads leniently).
public enum ChangeoverDeadline {
    /// Seven days: long enough for a node that is down over a weekend to come back and move.
    public static let defaultSpec = "7d"

    /// Milliseconds since the epoch, or nil when `spec` is none of the forms above.
    public static func parse(_ spec: String, now: Int64) -> Int64? {
        let text = String(spec.filter { $0 != " " && $0 != "\t" })
        if text == "now" { return now }
        if let unit = text.last, let seconds = unitSeconds[unit], let count = Int64(text.dropLast()), count >= 0,
           count <= 3650 * 86_400 / seconds {
            return now + count * seconds * 1000
        }
        return ISO8601.parse(text, lenient: true)
    }

    private static let unitSeconds: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
}
