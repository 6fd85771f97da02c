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

    /// A complete, self-contained HTML5 page (inline CSS, no script).
    func html() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += ReportStyle.contentSecurityPolicy
        out += "<title>\(HTMLText.escape(title)) \(HTMLText.escape(subtitle))</title><style>\(ReportStyle.css)</style></head><body>"
        out += "<header class=\"top\"><div class=\"report-head\"><p class=\"eyebrow\">Monthly report · 月报</p>"
        out += "<h1>\(HTMLText.escape(title))</h1>"
        if !subtitle.isEmpty { out += "<p class=\"subtitle\">\(HTMLText.escape(subtitle))</p>" }
        out += "<div class=\"meta\">" + facts.map {
            "<span class=\"pill\">\(HTMLText.escape($0.label)): \(HTMLText.escape($0.value))</span>"
        }.joined() + "</div></div></header><main class=\"report\">"
        for section in sections {
            out += "<section><h2>\(HTMLText.escape(section.title))</h2>"
            for block in section.blocks {
                switch block {
                case .paragraph(let text): out += "<p>\(HTMLText.escape(text))</p>"
                case .subheading(let text): out += "<h3>\(HTMLText.escape(text))</h3>"
                case .bullets(let items): out += "<ul>" + items.map { "<li>\(HTMLText.escape($0))</li>" }.joined() + "</ul>"
                case .findings(let items):
                    out += "<ol>" + items.map {
                        "<li>\(HTMLText.escape($0.problem))<br><span class=\"next\">Next step · 下一步: \(HTMLText.escape($0.next))</span></li>"
                    }.joined() + "</ol>"
                case .table(let table): out += Self.htmlTable(table)
                case .html(let fragment): out += "<div class=\"card\">\(fragment)</div>"
                }
            }
            out += "</section>"
        }
        return out + "</main></body></html>\n"
    }

    private static func htmlTable(_ table: Table) -> String {
        func cells(_ row: [String], tag: String) -> String {
            row.enumerated().map { index, value in
                let style = index < table.textColumns ? " style=\"text-align:left\"" : ""
                return "<\(tag)\(style)>\(HTMLText.escape(value))</\(tag)>"
            }.joined()
        }
        let compact = table.headers.count <= 4 ? " class=\"compact\"" : ""
        var out = "<div class=\"card table-wrap\"><table\(compact)><thead><tr>"
        out += table.headers.enumerated().map { index, header in
            let style = index < table.textColumns ? " style=\"text-align:left\"" : ""
            return "<th\(style)>\(HTMLText.escape(header.english))<span class=\"cn\">\(HTMLText.escape(header.chinese))</span></th>"
        }.joined()
        out += "</tr></thead><tbody>" + table.rows.map { "<tr>\(cells($0, tag: "td"))</tr>" }.joined() + "</tbody>"
        if let footer = table.footer { out += "<tfoot><tr>\(cells(footer, tag: "td"))</tr></tfoot>" }
        return out + "</table></div>"
    }
}
