
/// The 13 joint-punishment measures of seed 000 §二(二) / 001 §二(二), in order: code → English → Chinese.
public enum MeasureNames {
    /// All measures, M1 first.
    public static let all: [MeasureName] = [
        MeasureName(code: "M1", english: "Restrict opening new platform accounts",
                    chinese: "限制新设立账户"),
        MeasureName(code: "M2", english: "Block, suspend or delete existing accounts",
                    chinese: "屏蔽或删除现有账户"),
        MeasureName(code: "M3", english: "Restrict listing new goods and services",
                    chinese: "限制发布商品及服务"),
        MeasureName(code: "M4", english: "Restrict promotions and sales events",
                    chinese: "限制参加各类营销或促销活动"),
        MeasureName(code: "M5", english: "Deduct credit points gained by brushing",
                    chinese: "扣除信用积分"),
        MeasureName(code: "M6", english: "Lower account or credit level and mark it",
                    chinese: "降低信用等级"),
        MeasureName(code: "M7", english: "Restrict internet-finance services",
                    chinese: "限制提供互联网金融服务"),
        MeasureName(code: "M8", english: "Restrict account privileges; lower search ranking",
                    chinese: "限制账户权限权利"),
        MeasureName(code: "M9", english: "Mark the risk in search results",
                    chinese: "在搜索结果中标注风险"),
        MeasureName(code: "M10", english: "Bar seriously dishonest logistics companies",
                    chinese: "限制严重失信寄递物流企业入驻电子商务平台"),
        MeasureName(code: "M11", english: "Dismiss and notify colluding logistics staff",
                    chinese: "辞退并通报建议同业机构不予录用严重失信寄递物流从业人员"),
        MeasureName(code: "M12", english: "Close or delete social-media accounts",
                    chinese: "查封或删除社交媒体账号"),
        MeasureName(code: "M13", english: "Restrict online advertising",
                    chinese: "限制网络广告推广"),
    ]

    private static let byCode: [String: MeasureName] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    /// The measure with this code (`M1` … `M13`, exact case); nil when there is none.
    public static func measure(code: String) -> MeasureName? { byCode[code] }

    /// Sort key that puts M2 before M10.
    package static func order(of code: String) -> Int {
        all.firstIndex { $0.code == code } ?? all.count
    }
}
