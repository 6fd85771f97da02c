/// The dashboard page (``DashboardPage``): header, headline figures, data-quality notice, cards in rows
/// (a row of two is a grid), footer. Written without line breaks between tags, as the page always was.
enum DashboardTemplate {
    static let text = """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">\
    <meta name="viewport" content="width=device-width, initial-scale=1">{{{csp}}}\
    <title>{{alliance}} · Dashboard · {{period}}</title><style>{{{css}}}</style></head><body>\
    <header class="top"><p class="eyebrow">Anti-credit-speculation alliance · 反炒信联盟</p>\
    <h1>{{alliance}} <span class="cn">联合惩戒数据看板 · Joint-punishment dashboard</span></h1>\
    <div class="meta"><span class="pill">Period 统计期: {{period}}</span>\
    <span class="pill">Members reporting 报送成员: {{membersReporting}} / {{memberCount}}</span>\
    <span class="pill">Generated 生成时间: {{generated}}</span>\
    <span class="pill">Counts only · 仅统计数字</span></div></header><main>\
    <section class="kpis">{{#kpis}}<div class="kpi" style="--kpi:{{colour}}"><div class="label">{{english}}<span class="cn">{{chinese}}</span></div>\
    <div class="value">{{value}}</div><div class="sub">{{#delta}}<span class="delta {{direction}}">{{arrow}} {{change}}</span>vs {{previousName}}{{/delta}}</div>\
    <div class="note">{{note}}{{#alert}}<b class="alert">{{.}}</b>{{/alert}}</div></div>{{/kpis}}</section>\
    {{#notice}}<div class="notice"><b>Data quality · 数据质量</b><ul>{{#lines}}<li>{{.}}</li>{{/lines}}</ul></div>{{/notice}}\
    {{#rows}}{{#grid}}<div class="grid">{{/grid}}{{#cards}}<section class="card"><h2>{{title}}<span class="cn">{{chinese}}</span></h2>\
    <p class="caption">{{caption}}</p>{{{body}}}{{#figures}}<div class="figures">{{#items}}<div class="figure"><div class="n">{{value}}</div>\
    <div class="l">{{label}}</div></div>{{/items}}</div>{{/figures}}{{#table}}{{>member-table}}{{/table}}</section>{{/cards}}\
    {{#grid}}</div>{{/grid}}{{/rows}}\
    </main><footer>Figures are counts reported by member nodes; no identifier or token reaches the coordinator. \
    “Distinct entries” adds each member's daily count, so an entry matched on several days or by several members \
    counts more than once. Entries published and overdue appeals are end-of-period figures. \
    数据均为成员节点报送的统计数字，不含任何主体标识。</footer></body></html>

    """
}
