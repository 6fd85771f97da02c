/// A horizontal bar chart in inline SVG: one labelled row per item, the value printed after the bar.
struct HorizontalBarChart: Sendable {
    struct Item: Sendable {
        let label: String
        /// Smaller second line under the label (may be empty).
        let secondaryLabel: String
        let value: Int
        let colour: String
        /// Extra text after the value, e.g. a share `(41.2%)`.
        var note: String = ""
    }

    let items: [Item]
    let summary: String
    var width = 600.0
    var labelWidth = 190.0

    func render() -> String {
        let twoLines = items.contains { !$0.secondaryLabel.isEmpty }
        let rowHeight = twoLines ? 38.0 : 30.0
        let barHeight = twoLines ? 20.0 : 18.0
        let top = 6.0
        let height = top * 2 + rowHeight * Double(items.count)
        let valueSpace = 120.0
        let barSpace = width - labelWidth - valueSpace
        let maximum = max(1, items.map(\.value).max() ?? 1)

        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width.svg) \(height.svg)\" "
        svg += "xmlns=\"http://www.w3.org/2000/svg\"><title>\(HTMLText.escape(summary))</title>"
        svg += "<line class=\"grid base\" x1=\"\(labelWidth.svg)\" x2=\"\(labelWidth.svg)\" y1=\"\(top.svg)\" "
        svg += "y2=\"\((height - top).svg)\"/>"
        for (index, item) in items.enumerated() {
            let rowTop = top + rowHeight * Double(index)
            let barY = rowTop + (rowHeight - barHeight) / 2
            let length = item.value > 0 ? max(2, barSpace * Double(item.value) / Double(maximum)) : 0
            let label = TextWidth.truncate(item.label, toWidth: labelWidth - 14, fontSize: 12.5)
            svg += "<g><title>\(HTMLText.escape(item.label))"
            if !item.secondaryLabel.isEmpty { svg += " \(HTMLText.escape(item.secondaryLabel))" }
            svg += ": \(NumberText.grouped(item.value))</title>"
            if item.secondaryLabel.isEmpty {
                svg += "<text class=\"bar-label\" x=\"\((labelWidth - 10).svg)\" y=\"\((rowTop + rowHeight / 2 + 4.5).svg)\" "
                svg += "text-anchor=\"end\">\(HTMLText.escape(label))</text>"
            } else {
                let secondary = TextWidth.truncate(item.secondaryLabel, toWidth: labelWidth - 14, fontSize: 11)
                svg += "<text class=\"bar-label\" x=\"\((labelWidth - 10).svg)\" y=\"\((rowTop + rowHeight / 2 - 2).svg)\" "
                svg += "text-anchor=\"end\">\(HTMLText.escape(label))</text>"
                svg += "<text class=\"bar-sublabel\" x=\"\((labelWidth - 10).svg)\" y=\"\((rowTop + rowHeight / 2 + 12).svg)\" "
                svg += "text-anchor=\"end\">\(HTMLText.escape(secondary))</text>"
            }
            svg += "<rect x=\"\(labelWidth.svg)\" y=\"\(barY.svg)\" width=\"\(barSpace.svg)\" height=\"\(barHeight.svg)\" "
            svg += "class=\"track\" rx=\"3\"/>"
            if length > 0 {
                svg += "<rect x=\"\(labelWidth.svg)\" y=\"\(barY.svg)\" width=\"\(length.svg)\" height=\"\(barHeight.svg)\" "
                svg += "rx=\"3\" fill=\"\(HTMLText.escape(item.colour))\"/>"
            }
            svg += "<text class=\"bar-value\" x=\"\((labelWidth + length + 8).svg)\" y=\"\((barY + barHeight / 2 + 4.5).svg)\">"
            svg += NumberText.grouped(item.value)
            if !item.note.isEmpty { svg += " <tspan class=\"bar-note\">\(HTMLText.escape(item.note))</tspan>" }
            svg += "</text></g>"
        }
        return svg + "</svg>"
    }
}
