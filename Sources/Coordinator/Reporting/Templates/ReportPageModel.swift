/// What ``ReportPageTemplate`` renders for a ``ReportDocument``: its text as plain values (escaped by the
/// template), its charts as raw SVG fragments.
struct ReportPageModel: Sendable {
    struct Fact: Sendable {
        let label: String
        let value: String
    }

    struct Section: Sendable {
        let title: String
        let blocks: [Block]
    }

    /// One block: exactly one of its fields is set.
    struct Block: Sendable {
        var paragraph: String?
        var subheading: String?
        var bullets: Items?
        var findings: Findings?
        var table: Table?
        var chart: String?
    }

    struct Items: Sendable {
        let items: [String]
    }

    struct Findings: Sendable {
        struct Finding: Sendable {
            let problem: String
            let next: String
        }

        let items: [Finding]
    }

    struct Table: Sendable {
        struct Header: Sendable {
            let english: String
            let chinese: String
            let left: Bool
        }

        struct Cell: Sendable {
            let text: String
            let left: Bool
        }

        struct Row: Sendable {
            let cells: [Cell]
        }

        let compact: Bool
        let headers: [Header]
        let rows: [Row]
        let footer: Row?
    }

    let csp = ReportStyle.contentSecurityPolicy
    let css = ReportStyle.css
    let title: String
    let subtitle: String
    let hasSubtitle: Bool
    let facts: [Fact]
    let sections: [Section]

    init(_ document: ReportDocument) {
        title = document.title
        subtitle = document.subtitle
        hasSubtitle = !document.subtitle.isEmpty
        facts = document.facts.map { Fact(label: $0.label, value: $0.value) }
        sections = document.sections.map { section in
            Section(title: section.title, blocks: section.blocks.map(Self.block))
        }
    }

    private static func block(_ block: ReportDocument.Block) -> Block {
        switch block {
        case .paragraph(let text): Block(paragraph: text)
        case .subheading(let text): Block(subheading: text)
        case .bullets(let items): Block(bullets: Items(items: items))
        case .findings(let items): Block(findings: Findings(items: items.map { Findings.Finding(problem: $0.problem, next: $0.next) }))
        case .table(let table): Block(table: Self.table(table))
        case .html(let fragment): Block(chart: fragment)
        }
    }

    private static func table(_ table: ReportDocument.Table) -> Table {
        func row(_ values: [String]) -> Table.Row {
            Table.Row(cells: values.enumerated().map { Table.Cell(text: $0.element, left: $0.offset < table.textColumns) })
        }
        return Table(compact: table.headers.count <= 4,
                     headers: table.headers.enumerated().map {
                         Table.Header(english: $0.element.english, chinese: $0.element.chinese, left: $0.offset < table.textColumns)
                     },
                     rows: table.rows.map(row), footer: table.footer.map(row))
    }
}
