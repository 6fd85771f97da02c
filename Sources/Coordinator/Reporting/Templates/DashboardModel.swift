/// What ``DashboardTemplate`` renders: plain values (escaped by the template) and the raw fragments the
/// code built (stylesheet, CSP tag, SVG charts).
struct DashboardModel: Sendable {
    /// A headline figure with its change against the previous period.
    struct KPI: Sendable {
        let english: String
        let chinese: String
        /// Grouped digits, `1,234`.
        let value: String
        let delta: Delta?
        let note: String
        /// Shown after the note in bold red (overdue appeals).
        let alert: String?
        let colour: String

        init(english: String, chinese: String, value: Int, delta: Delta?, note: String, alert: String? = nil, colour: String) {
            self.english = english
            self.chinese = chinese
            self.value = NumberText.grouped(value)
            self.delta = delta
            self.note = note
            self.alert = alert
            self.colour = colour
        }
    }

    /// `▲ +25.0% vs April 2018`.
    struct Delta: Sendable {
        /// `up`, `down` or `flat` (a CSS class).
        let direction: String
        let arrow: String
        let change: String
        let previousName: String
    }

    struct Notice: Sendable {
        let lines: [String]
    }

    /// The small figures under a chart.
    struct Figures: Sendable {
        struct Item: Sendable {
            let label: String
            /// Grouped digits.
            let value: String

            init(label: String, value: Int) {
                self.label = label
                self.value = NumberText.grouped(value)
            }
        }

        let items: [Item]
    }

    struct Card: Sendable {
        let title: String
        let chinese: String
        let caption: String
        /// An SVG chart (raw HTML built by ``ReportCharts``).
        let body: String
        let figures: Figures?
        let table: MemberTable.Model?
    }

    /// One card across the page, or two side by side (`grid`).
    struct Row: Sendable {
        var grid = false
        let cards: [Card]
    }

    let csp: String
    let css: String
    let alliance: String
    let period: String
    let membersReporting: Int
    let memberCount: Int
    let generated: String
    let kpis: [KPI]
    let notice: Notice?
    let rows: [Row]
}
