import Foundation

/// "Nice" axis ticks (0, 1, 2, 5 × 10ⁿ steps) for a chart whose values run from 0 to `maximum`.
struct AxisScale: Sendable, Equatable {
    let step: Int
    let top: Int

    init(maximum: Int, targetTicks: Int = 5) {
        guard maximum > 0 else { step = 1; top = 1; return }
        let raw = Double(maximum) / Double(max(1, targetTicks))
        var magnitude = 1
        while Double(magnitude) * 10 <= raw { magnitude *= 10 }
        let residual = raw / Double(magnitude)
        let factor = residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10
        step = max(1, factor * magnitude)
        top = ((maximum + step - 1) / step) * step
    }

    /// 0, step, 2·step, … top.
    var ticks: [Int] { Array(stride(from: 0, through: top, by: step)) }
}

/// Formats SVG coordinates compactly (at most one decimal).
extension Double {
    var svg: String {
        let tenths = (self * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(format1: self)
    }
}
