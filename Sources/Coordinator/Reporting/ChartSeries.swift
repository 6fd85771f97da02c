/// One series of a chart: what it is called and how it is drawn.
struct ChartSeries: Sendable, Hashable {
    let key: String
    let label: String
    /// Second-language label shown smaller (may be empty).
    let secondaryLabel: String
    let colour: String
}
