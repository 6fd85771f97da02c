import Foundation

/// A report as structured blocks, rendered once to Markdown and once to HTML so both say the same.
struct ReportDocument: Sendable {
    struct Table: Sendable {
        /// Column headings: English and Chinese.
        let headers: [(english: String, chinese: String)]
        let rows: [[String]]
        var footer: [String]? = nil
        /// How many leading columns are text (left-aligned); the rest are numbers.
        var textColumns = 1
    }

    enum Block: Sendable {
        case paragraph(String)
        case bullets([String])
        /// A problem and the step that answers it.
        case findings([(problem: String, next: String)])
        case table(Table)
        case subheading(String)
        /// HTML only (an inline SVG chart); left out of the Markdown.
        case html(String)
    }

    struct Section: Sendable {
        let title: String
        let blocks: [Block]
    }

    let title: String
    /// Second title line (the Chinese title).
    var subtitle = ""
    let facts: [(label: String, value: String)]
    let sections: [Section]

    // MARK: Markdown

    /// CommonMark/GFM. Every string in the document is escaped; data never becomes markup.
    func markdown() -> String {
        var out = "# \(Self.headingEscape(title))\n\n"
        if !subtitle.isEmpty { out += "**\(Self.markdownEscape(subtitle, atLineStart: false))**\n\n" }
        for fact in facts { out += "- **\(Self.markdownEscape(fact.label))**: \(Self.markdownEscape(fact.value))\n" }
        for section in sections {
            out += "\n## \(Self.headingEscape(section.title))\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): out += "\n\(Self.markdownEscape(text))\n"
                case .subheading(let text): out += "\n### \(Self.headingEscape(text))\n"
                case .bullets(let items):
                    out += "\n" + items.map { "- \(Self.markdownEscape($0))\n" }.joined()
                case .findings(let items):
                    out += "\n" + items.enumerated().map { index, item in
                        "\(index + 1). \(Self.markdownEscape(item.problem))\n   - *Next step · 下一步*: \(Self.markdownEscape(item.next))\n"
                    }.joined()
                case .table(let table): out += "\n" + Self.markdownTable(table)
                case .html: continue
                }
            }
        }
        return out
    }

    private static func markdownTable(_ table: Table) -> String {
        func cell(_ text: String) -> String { markdownEscape(text, atLineStart: false) }
        var out = "| " + table.headers.map { cell($0.english.isEmpty ? $0.chinese : "\($0.english) · \($0.chinese)") }.joined(separator: " | ") + " |\n"
        out += "|" + table.headers.indices.map { $0 < table.textColumns ? " --- |" : " ---: |" }.joined() + "\n"
        for row in table.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        if let footer = table.footer {
            out += "| " + footer.map { $0.isEmpty ? "" : "**\(cell($0))**" }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Backslash-escapes what Markdown would read as markup and folds line breaks into spaces, so text
    /// stays text (also inside a table cell): `\\ ` * _ [ ] < > | & ~` anywhere and, for text that starts a
    /// line, a leading `#`, `-`, `+`, `=` or ordered-list number (`12.`).
    static func markdownEscape(_ text: String, atLineStart: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var leadingDigits = atLineStart
        for (offset, character) in text.enumerated() {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "&", "~":
                out.append("\\")
                out.append(character)
            case let mark where atLineStart && offset == 0 && "#-+=".contains(mark):
                out.append("\\")
                out.append(character)
            case let mark where leadingDigits && offset > 0 && ".)".contains(mark):
                out.append("\\")
                out.append(character)
            case "\n", "\r", "\r\n", "\t": out.append(" ")
            default: out.append(character)
            }
            leadingDigits = leadingDigits && character.isASCII && character.isNumber
        }
        return out
    }

    /// Heading text: escaped, with every `#` escaped too (a trailing ` #` would close the heading).
    static func headingEscape(_ text: String) -> String {
        markdownEscape(text, atLineStart: false).replacingOccurrences(of: "#", with: "\\#")
    }

    // MARK: HTML

    /// A complete, self-contained HTML5 page (inline CSS, no script), rendered by ``ReportPageTemplate``.
    func html() -> String {
        ReportTemplates.render(ReportPageModel(self), template: "report")
    }
}
