import Mustache

/// The coordinator's HTML templates (swift-mustache): every `{{value}}` is HTML-escaped; only
/// `{{{fragments}}}` the code built itself (the stylesheet, the CSP meta tag, the SVG charts) go in raw.
enum ReportTemplates {
    /// The templates, parsed once; they are constants of this build, so a parse failure is a bug a test catches.
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [("dashboard", DashboardTemplate.text), ("member-table", MemberTableTemplate.text),
                             ("report", ReportPageTemplate.text), ("table-cell", MemberTableTemplate.cell),
                             ("report-table", ReportPageTemplate.table)] {
            // swiftlint:disable:next force_try
            library.register(try! MustacheTemplate(string: text), named: name)
        }
        return library
    }()

    /// Renders `model` with the template `name`, dropping control characters other than tab and newline
    /// (they are not allowed in HTML text; no template holds one).
    static func render(_ model: Any, template name: String) -> String {
        let rendered = library.render(model, withTemplate: name) ?? ""
        var out = ""
        out.reserveCapacity(rendered.utf8.count)
        for scalar in rendered.unicodeScalars {
            if scalar == "\t" || scalar == "\n" || !(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)) {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
