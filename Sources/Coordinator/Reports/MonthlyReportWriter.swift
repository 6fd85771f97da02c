import ExchangeRuntime
import Foundation

/// Writes a month's report (`report-YYYY-MM.md`, `.html`, `.csv`) from the coordinator's statistics.
package enum MonthlyReportWriter {
    package struct Written: Sendable {
        package let markdown: URL
        package let html: URL
        package let csv: URL
        /// The month's statistics the files were rendered from.
        package let statistics: AllianceStatistics
    }

    package static func write(statistics: AllianceStatistics, month: String, alliance: String, into directory: URL) throws(CoordinatorError) -> Written {
        let rendered: (markdown: String, html: String, csv: String)
        let scoped: AllianceStatistics
        do {
            rendered = try MonthlyReport.render(statistics: statistics, month: month, alliance: alliance)
            scoped = try statistics.restricted(toMonth: month)
        } catch {
            throw .invalidArgument("--month", underlying: error)
        }
        let base = directory.appendingPathComponent("report-\(month)")
        let files = Written(markdown: base.appendingPathExtension("md"), html: base.appendingPathExtension("html"),
                            csv: base.appendingPathExtension("csv"), statistics: scoped)
        try CoordinatorError.files(SecureFile.writeAtomically(Data(rendered.markdown.utf8), to: files.markdown, mode: 0o644))
        try CoordinatorError.files(SecureFile.writeAtomically(Data(rendered.html.utf8), to: files.html, mode: 0o644))
        try CoordinatorError.files(SecureFile.writeAtomically(Data(rendered.csv.utf8), to: files.csv, mode: 0o644))
        return files
    }
}
