/// One joint-punishment measure (联合惩戒措施) with its English and Chinese names.
public struct MeasureName: Sendable, Hashable {
    /// `M1` … `M13`.
    public let code: String
    /// Short English name.
    public let english: String
    /// Chinese name as the action plan (发改财金〔2016〕2370号, seed 000 §二(二)) titles it.
    public let chinese: String

    public init(code: String, english: String, chinese: String) {
        self.code = code
        self.english = english
        self.chinese = chinese
    }
}
