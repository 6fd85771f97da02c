import Foundation

/// The part a subject played (DOMAIN.md, "Who is a subject"). Optional on an entry;
/// logistics roles add measures M10 / M11 in the default policy.
public enum SubjectRole: String, Sendable, Codable, Hashable, CaseIterable {
    case company
    case individual
    case legalRepresentative = "legal-representative"
    case principal
    case responsiblePerson = "responsible-person"
    case website
    case app
    case accountProvider = "account-provider"
    case dataProvider = "data-provider"
    case technicalProvider = "technical-provider"
    case logisticsCompany = "logistics-company"
    case logisticsStaff = "logistics-staff"
    case fundingProvider = "funding-provider"
    case informationProvider = "information-provider"
    case socialMediaAccount = "social-media-account"

    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)! + 1) }

    public init?(code: UInt8) {
        let index = Int(code) - 1
        guard index >= 0, index < Self.allCases.count else { return nil }
        self = Self.allCases[index]
    }

    public init?(parsing text: some StringProtocol) {
        if let exact = SubjectRole(rawValue: String(text)) { self = exact; return }
        let key = text.trimmingWhitespace().lowercased()
            .replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        self.init(rawValue: key)
    }
}
