/// One series of a chart: what it is called and how it is drawn.
struct ChartSeries: Sendable, Hashable {
    let key: String
    let label: String
    /// Second-language label shown smaller (may be empty).
    let secondaryLabel: String
    let colour: String
}

/// An HTML legend: a wrapping row of colour swatches, labels and totals.
enum ChartLegend {
    static func render(_ series: [ChartSeries], totals: [String: Int] = [:]) -> String {
        var html = "<ul class=\"legend\">"
        for item in series {
            html += "<li><span class=\"swatch\" style=\"background:\(HTMLText.escape(item.colour))\"></span>"
            html += HTMLText.escape(item.label)
            if !item.secondaryLabel.isEmpty, item.secondaryLabel != item.label {
                html += " <span class=\"cn\">\(HTMLText.escape(item.secondaryLabel))</span>"
            }
            if let total = totals[item.key] {
                html += " <span class=\"legend-value\">\(NumberText.grouped(total))</span>"
            }
            html += "</li>"
        }
        return html + "</ul>"
    }
}
