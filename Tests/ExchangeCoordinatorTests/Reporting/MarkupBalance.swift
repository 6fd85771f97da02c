
@testable import ExchangeCoordinator

/// A minimal HTML/SVG tag checker: every `<` starts a tag, comment or doctype, and non-void elements nest.
enum MarkupBalance {
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source"]

    /// Problems found; empty when the markup is balanced.
    static func problems(_ html: String) -> [String] {
        var stack: [String] = []
        var problems: [String] = []
        var index = html.startIndex
        while let open = html[index...].firstIndex(of: "<") {
            guard let close = html[open...].firstIndex(of: ">") else { problems.append("unterminated tag"); break }
            let tag = html[html.index(after: open)..<close]
            index = html.index(after: close)
            if tag.hasPrefix("!") { continue }
            if tag.hasPrefix("/") {
                let name = tag.dropFirst().lowercased()
                if stack.last == name { stack.removeLast() } else { problems.append("</\(name)> closes <\(stack.last ?? "nothing")>") }
                continue
            }
            let name = String(tag.prefix { $0.isLetter || $0.isNumber }).lowercased()
            guard !name.isEmpty, tag.first?.isLetter == true else { problems.append("stray '<' before \(tag.prefix(12))"); continue }
            if tag.hasSuffix("/") || voidElements.contains(name) { continue }
            stack.append(name)
        }
        if !stack.isEmpty { problems.append("unclosed: \(stack.joined(separator: ","))") }
        return problems
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
