
/// The counter names and values a daily report may carry, so that a report cannot smuggle data:
/// every name must be one ``CounterKey`` understands, written exactly as ``CounterKey/name``
/// writes it, with a category from the protocol's vocabulary and an origin that is a member id
/// (on the coordinator: a registered node); every value a count from 0 to ``maximumValue`` —
/// below the 11 digits of a mobile number, an identity number or a card number.
public enum ReportVocabulary {
    /// The largest count accepted (10^10 − 1).
    public static let maximumValue = 9_999_999_999
    /// The most counters one report may hold.
    public static let maximumCounters = 1024

    /// Whether `name` is in the vocabulary. `origins` restricts `matches.origin.<ID>` to those ids
    /// (nil: any valid member id).
    public static func accepts(_ name: String, origins: Set<String>? = nil) -> Bool {
        guard let key = CounterKey(name), key.name == name else { return false }
        switch key {
        case .matchesByOrigin(let member):
            guard (try? MemberID(member)) != nil else { return false }
            return origins.map { $0.contains(member) } ?? true
        case .matchesByCategory(let code):
            return Category(rawValue: code) != nil
        default:
            return true
        }
    }
}
