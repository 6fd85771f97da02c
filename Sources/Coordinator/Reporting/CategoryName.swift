/// Display names and chart colour of a listing category (`matches.category.<code>`).
public struct CategoryName: Sendable, Hashable {
    public let code: String
    public let english: String
    public let chinese: String
    /// The list the category belongs to: `black`, `watch` or `red`.
    public let list: String
    /// Chart colour, `#RRGGBB`.
    public let colour: String
}
