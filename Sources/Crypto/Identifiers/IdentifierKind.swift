/// The kinds of identifier that can name a blacklisted subject (see DOMAIN.md, "Who is a subject").
///
/// The raw value is the stable textual name used in files and on the wire; `code` is the stable
/// one-byte number used for domain separation when identifiers are turned into tokens.
public enum IdentifierKind: String, CaseIterable, Sendable, Codable, Hashable {
    /// Unified social credit code (统一社会信用代码), GB 32100-2015.
    case uscc
    /// Resident identity number (居民身份证号), GB 11643-1999.
    case residentID = "resident-id"
    /// Telephone number in E.164 form; mainland numbers must be mobiles.
    case phone
    /// E-mail address.
    case email
    /// Website host name (IDNA A-labels).
    case domain
    /// Bank card number (Luhn-checked).
    case bankCard = "bank-card"
    /// Mobile application package or bundle id.
    case app
    /// Account on a named platform, `platform:handle`.
    case account

    /// Stable one-byte code used for domain separation in token derivation.
    /// Never change an assigned code: tokens derived from it would silently stop matching.
    public var code: UInt8 {
        switch self {
        case .uscc: 1
        case .residentID: 2
        case .phone: 3
        case .email: 4
        case .domain: 5
        case .bankCard: 6
        case .app: 7
        case .account: 8
        }
    }

    /// The kind with the given stable code, or nil for an unassigned code.
    public init?(code: UInt8) {
        switch code {
        case 1: self = .uscc
        case 2: self = .residentID
        case 3: self = .phone
        case 4: self = .email
        case 5: self = .domain
        case 6: self = .bankCard
        case 7: self = .app
        case 8: self = .account
        default: return nil
        }
    }
}
