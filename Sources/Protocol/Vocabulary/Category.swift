import Foundation

/// The behaviour an entry is listed for (DOMAIN.md, from seed 002 §三 and 000/001 §一).
/// Codes are kebab-case; a few common spellings are accepted as aliases on input.
public enum Category: String, Sendable, Codable, Hashable, CaseIterable {
    case judgmentDefaulter = "judgment-defaulter"        // 失信被执行人
    case counterfeiting                                  // 制假售假
    case ipInfringement = "ip-infringement"              // 侵犯知识产权
    case brushing                                        // 刷单炒信 / fake transactions
    case fakeReviews = "fake-reviews"                    // 虚假评价
    case maliciousRegistration = "malicious-registration" // 恶意注册
    case subsidyFraud = "subsidy-fraud"                  // 刷单骗补
    case contractDispute = "contract-dispute"            // 网购合同纠纷
    case emptyParcel = "empty-parcel"                    // 空包裹代发邮寄
    case personalDataAbuse = "personal-data-abuse"       // 非法采集、滥用个人信息
    case personalDataLeak = "personal-data-leak"         // 泄露、倒卖个人信息
    case falseAdvertising = "false-advertising"          // 虚假广告 (watch list)
    case breachOfContract = "breach-of-contract"         // 违约 (watch list)
    case trustworthy                                     // 守信 (red list)

    /// Stable one-byte wire code (order of declaration, from 1; never reorder).
    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)! + 1) }

    public init?(code: UInt8) {
        let index = Int(code) - 1
        guard index >= 0, index < Self.allCases.count else { return nil }
        self = Self.allCases[index]
    }

    /// Accepts the code or an alias, case-insensitively, with `_` or spaces for `-`.
    public init?(parsing text: some StringProtocol) {
        if let exact = Category(rawValue: String(text)) { self = exact; return }  // the common case, no copying
        let key = text.trimmingWhitespace().lowercased()
            .replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        if let direct = Category(rawValue: key) { self = direct; return }
        guard let aliased = Self.aliases[key] else { return nil }
        self = aliased
    }

    static let aliases: [String: Category] = [
        "judgment-defaulters": .judgmentDefaulter, "dishonest-judgment-debtor": .judgmentDefaulter,
        "counterfeit": .counterfeiting, "counterfeit-goods": .counterfeiting,
        "intellectual-property-infringement": .ipInfringement, "ip": .ipInfringement,
        "brushing-orders": .brushing, "order-brushing": .brushing, "fake-transactions": .brushing,
        "fake-transaction": .brushing, "credit-speculation": .brushing, "brushing-fake-transactions": .brushing,
        "fake-review": .fakeReviews,
        "bulk-registration": .maliciousRegistration, "malicious-bulk-registration": .maliciousRegistration,
        "brushing-for-subsidies": .subsidyFraud, "subsidy-brushing": .subsidyFraud,
        "online-shopping-contract-dispute": .contractDispute, "contract-disputes": .contractDispute,
        "empty-parcel-shipping": .emptyParcel, "empty-parcels": .emptyParcel,
        "illegal-collection": .personalDataAbuse, "personal-data-misuse": .personalDataAbuse,
        "personal-data-selling": .personalDataLeak, "leaking-personal-data": .personalDataLeak,
        "data-leak": .personalDataLeak,
        "breach-of-contracts": .breachOfContract, "contract-breach": .breachOfContract,
    ]
}

extension StringProtocol {
    /// The text without leading and trailing ASCII or Unicode whitespace.
    func trimmingWhitespace() -> String {
        let bytes = Substring(self).utf8
        if let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return String(self) }
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
