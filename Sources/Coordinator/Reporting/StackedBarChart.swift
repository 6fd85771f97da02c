/// A vertical stacked bar chart in inline SVG: one bar per bucket (a day or a month), one coloured
/// segment per series, with y gridlines, tick labels, axis titles and a tooltip (`<title>`) per segment.
struct StackedBarChart: Sendable {
    struct Bucket: Sendable {
        /// Full name for tooltips, e.g. `2018-05-03`.
        let name: String
        /// Short axis label, e.g. `3`.
        let axisLabel: String
        /// Shaded behind the bar (weekends).
        let shaded: Bool
        let values: [String: Int]
    }

    let series: [ChartSeries]
    let buckets: [Bucket]
    let yAxisTitle: String
    let xAxisTitle: String
    /// Accessible description of the whole chart.
    let summary: String
    var width = 1240.0
    var height = 330.0

    func render() -> String {
        let left = 64.0, right = 16.0, top = 14.0, bottom = 52.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let totals = buckets.map { bucket in series.reduce(0) { $0 + bucket.values[$1.key, default: 0] } }
        let scale = AxisScale(maximum: totals.max() ?? 0)
        func y(_ value: Int) -> Double { top + plotHeight - plotHeight * Double(value) / Double(scale.top) }

        var svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 \(width.svg) \(height.svg)\" "
        svg += "xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\">"
        svg += "<title>\(HTMLText.escape(summary))</title>"
        let band = plotWidth / Double(max(1, buckets.count))
        let barWidth = min(band * 0.74, 56)

        // Weekend shading under everything.
        for (index, bucket) in buckets.enumerated() where bucket.shaded {
            svg += "<rect class=\"shade\" x=\"\((left + band * Double(index)).svg)\" y=\"\(top.svg)\" "
            svg += "width=\"\(band.svg)\" height=\"\(plotHeight.svg)\"/>"
        }
        // Gridlines and y tick labels.
        for tick in scale.ticks {
            svg += "<line class=\"grid\(tick == 0 ? " base" : "")\" x1=\"\(left.svg)\" x2=\"\((left + plotWidth).svg)\" "
            svg += "y1=\"\(y(tick).svg)\" y2=\"\(y(tick).svg)\"/>"
            svg += "<text class=\"tick\" x=\"\((left - 8).svg)\" y=\"\((y(tick) + 4).svg)\" text-anchor=\"end\">"
            svg += "\(NumberText.compact(tick))</text>"
        }
        // Bars.
        for (index, bucket) in buckets.enumerated() {
            let x = left + band * Double(index) + (band - barWidth) / 2
            var stacked = 0
            for item in series {
                let value = bucket.values[item.key, default: 0]
                guard value > 0 else { continue }
                let yTop = y(stacked + value), yBottom = y(stacked)
                svg += "<rect x=\"\(x.svg)\" y=\"\(yTop.svg)\" width=\"\(barWidth.svg)\" "
                svg += "height=\"\(max(0.5, yBottom - yTop).svg)\" fill=\"\(HTMLText.escape(item.colour))\">"
                svg += "<title>\(HTMLText.escape(bucket.name)) · \(HTMLText.escape(item.label)): "
                svg += "\(NumberText.grouped(value))</title></rect>"
                stacked += value
            }
        }
        // X labels, thinned so they do not overlap.
        let longest = buckets.map { TextWidth.estimate($0.axisLabel, fontSize: 11) }.max() ?? 0
        let every = max(1, Int(((longest + 10) / band).rounded(.up)))
        for (index, bucket) in buckets.enumerated() where index % every == 0 {
            let x = left + band * (Double(index) + 0.5)
            svg += "<text class=\"tick\" x=\"\(x.svg)\" y=\"\((top + plotHeight + 17).svg)\" text-anchor=\"middle\">"
            svg += "\(HTMLText.escape(bucket.axisLabel))</text>"
        }
        // Axis titles.
        svg += "<text class=\"axis-title\" x=\"\((left + plotWidth / 2).svg)\" y=\"\((height - 8).svg)\" "
        svg += "text-anchor=\"middle\">\(HTMLText.escape(xAxisTitle))</text>"
        svg += "<text class=\"axis-title\" transform=\"translate(16 \((top + plotHeight / 2).svg)) rotate(-90)\" "
        svg += "text-anchor=\"middle\">\(HTMLText.escape(yAxisTitle))</text>"
        return svg + "</svg>"
    }
}
