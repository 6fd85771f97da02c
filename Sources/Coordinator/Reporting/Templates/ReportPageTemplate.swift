/// The monthly report's HTML page (``ReportDocument/html()``): header with the facts, then each section's
/// blocks (paragraph, sub-heading, bullets, findings, table, chart).
enum ReportPageTemplate {
    static let text = """
    <!DOCTYPE html>
    <html lang="zh-Hans"><head><meta charset="utf-8">\
    <meta name="viewport" content="width=device-width, initial-scale=1">{{{csp}}}\
    <title>{{title}} {{subtitle}}</title><style>{{{css}}}</style></head><body>\
    <header class="top"><div class="report-head"><p class="eyebrow">Monthly report · 月报</p>\
    <h1>{{title}}</h1>{{#hasSubtitle}}<p class="subtitle">{{subtitle}}</p>{{/hasSubtitle}}\
    <div class="meta">{{#facts}}<span class="pill">{{label}}: {{value}}</span>{{/facts}}</div></div></header><main class="report">\
    {{#sections}}<section><h2>{{title}}</h2>{{#blocks}}\
    {{#paragraph}}<p>{{.}}</p>{{/paragraph}}\
    {{#subheading}}<h3>{{.}}</h3>{{/subheading}}\
    {{#bullets}}<ul>{{#items}}<li>{{.}}</li>{{/items}}</ul>{{/bullets}}\
    {{#findings}}<ol>{{#items}}<li>{{problem}}<br><span class="next">Next step · 下一步: {{next}}</span></li>{{/items}}</ol>{{/findings}}\
    {{#table}}{{>report-table}}{{/table}}\
    {{#chart}}<div class="card">{{{.}}}</div>{{/chart}}\
    {{/blocks}}</section>{{/sections}}</main></body></html>

    """

    /// A table block: headers in English and Chinese, text columns left-aligned, an optional footer row.
    static let table = """
    <div class="card table-wrap"><table{{#compact}} class="compact"{{/compact}}><thead><tr>\
    {{#headers}}<th{{#left}} style="text-align:left"{{/left}}>{{english}}<span class="cn">{{chinese}}</span></th>{{/headers}}\
    </tr></thead><tbody>{{#rows}}<tr>{{#cells}}<td{{#left}} style="text-align:left"{{/left}}>{{text}}</td>{{/cells}}</tr>{{/rows}}</tbody>\
    {{#footer}}<tfoot><tr>{{#cells}}<td{{#left}} style="text-align:left"{{/left}}>{{text}}</td>{{/cells}}</tr></tfoot>{{/footer}}\
    </table></div>
    """
}
