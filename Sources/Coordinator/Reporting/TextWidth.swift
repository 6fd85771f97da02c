import Foundation

/// Rough rendered width of text, for layout without a font engine: CJK counts double.
enum TextWidth {
    static func estimate(_ text: String, fontSize: Double) -> Double {
        text.unicodeScalars.reduce(0.0) { width, scalar in
            width + (scalar.value >= 0x2E80 ? 1.0 : scalar.properties.isUppercase ? 0.66 : 0.56) * fontSize
        }
    }

    /// The text cut to fit `width`, with an ellipsis when cut.
    static func truncate(_ text: String, toWidth width: Double, fontSize: Double) -> String {
        guard estimate(text, fontSize: fontSize) > width else { return text }
        var out = ""
        for character in text {
            if estimate(out + String(character) + "…", fontSize: fontSize) > width { break }
            out.append(character)
        }
        return out + "…"
    }
}
