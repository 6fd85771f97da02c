
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
