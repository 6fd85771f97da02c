
/// The categories of DOMAIN.md "The lists", in the order of `ExchangeProtocol.Category`, with colours
/// chosen to stay distinguishable side by side in a stacked chart.
public enum CategoryNames {
    public static let all: [CategoryName] = [
        CategoryName(code: "judgment-defaulter", english: "Judgment defaulters", chinese: "失信被执行人", list: "black", colour: "#4E79A7"),
        CategoryName(code: "counterfeiting", english: "Counterfeiting", chinese: "制假售假", list: "black", colour: "#F28E2B"),
        CategoryName(code: "ip-infringement", english: "IP infringement", chinese: "侵犯知识产权", list: "black", colour: "#FFBE7D"),
        CategoryName(code: "brushing", english: "Brushing / fake transactions", chinese: "刷单炒信", list: "black", colour: "#E15759"),
        CategoryName(code: "fake-reviews", english: "Fake reviews", chinese: "虚假评价", list: "black", colour: "#FF9D9A"),
        CategoryName(code: "malicious-registration", english: "Malicious registration", chinese: "恶意注册", list: "black", colour: "#B07AA1"),
        CategoryName(code: "subsidy-fraud", english: "Brushing for subsidies", chinese: "刷单骗补", list: "black", colour: "#D4A6C8"),
        CategoryName(code: "contract-dispute", english: "Online-shopping contract disputes", chinese: "网购合同纠纷", list: "black", colour: "#A0CBE8"),
        CategoryName(code: "empty-parcel", english: "Empty-parcel shipping", chinese: "空包裹代发邮寄", list: "black", colour: "#9D7660"),
        CategoryName(code: "personal-data-abuse", english: "Personal-data abuse", chinese: "非法采集、滥用个人信息", list: "black", colour: "#B6992D"),
        CategoryName(code: "personal-data-leak", english: "Personal-data leaking or selling", chinese: "泄露、倒卖个人信息", list: "black", colour: "#F1CE63"),
        CategoryName(code: "false-advertising", english: "False advertising", chinese: "虚假广告", list: "watch", colour: "#499894"),
        CategoryName(code: "breach-of-contract", english: "Breach of contract", chinese: "违约", list: "watch", colour: "#86BCB6"),
        CategoryName(code: "trustworthy", english: "Trustworthy (red list)", chinese: "守信", list: "red", colour: "#59A14F"),
    ]

    /// Colours for codes this build does not know, picked by a stable hash of the code.
    static let spareColours = ["#D37295", "#79706E", "#8CD17D", "#D7B5A6", "#FABFD2", "#BAB0AC"]
    /// Colour of the "not classified" remainder (matches without a category counter).
    static let unclassifiedColour = "#C9CED6"

    private static let byCode: [String: CategoryName] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// The named category, or nil for a code this build does not know.
    public static func category(code: String) -> CategoryName? { byCode[code] }

    /// English label; the raw code for an unknown one.
    static func english(_ code: String) -> String { byCode[code]?.english ?? code }
    /// Chinese label; the raw code for an unknown one.
    static func chinese(_ code: String) -> String { byCode[code]?.chinese ?? code }

    /// A stable colour for any code.
    static func colour(_ code: String) -> String {
        if let known = byCode[code] { return known.colour }
        var hash: UInt32 = 2_166_136_261
        for byte in code.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return spareColours[Int(hash % UInt32(spareColours.count))]
    }

    /// Sort key: declaration order, unknown codes after.
    static func order(of code: String) -> Int { all.firstIndex { $0.code == code } ?? all.count }
}
