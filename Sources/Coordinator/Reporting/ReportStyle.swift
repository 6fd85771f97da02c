/// The inline stylesheet shared by the dashboard and the monthly report's HTML.
enum ReportStyle {
    /// Forbids every external resource and all script, so even a missed escape could not run code.
    static let contentSecurityPolicy =
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"

    static let css = """
    :root{--ink:#1c2434;--muted:#5e6b80;--faint:#8a95a8;--line:#e3e8ef;--bg:#f3f5f9;--card:#fff;--brand:#1f3a5f;\
    --accent:#4E79A7;--up:#c0392b;--down:#2e7d32;--warn-bg:#fff7e6;--warn-line:#f0c36d}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 "Inter","Segoe UI","Helvetica Neue",Arial,\
    "Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;font-variant-numeric:tabular-nums}
    .top{background:linear-gradient(100deg,#16294a,#1f3a5f 55%,#28507f);color:#fff;padding:22px 36px 20px}
    .top .eyebrow{font-size:12px;letter-spacing:.08em;text-transform:uppercase;opacity:.75;margin:0 0 4px}
    .top h1{margin:0;font-size:24px;font-weight:650;letter-spacing:-.01em}
    .top h1 .cn{font-weight:500;opacity:.85;margin-left:10px;font-size:19px}
    .top .meta{margin-top:8px;display:flex;flex-wrap:wrap;gap:8px 10px;font-size:13px}
    .pill{background:rgba(255,255,255,.13);border:1px solid rgba(255,255,255,.18);border-radius:999px;padding:3px 11px}
    main{padding:22px 36px 8px;max-width:1480px;margin:0 auto}
    .kpis{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:14px;margin-bottom:18px}
    .kpi{background:var(--card);border-radius:12px;padding:14px 16px 13px;box-shadow:0 1px 2px rgba(20,30,50,.06),\
    0 2px 10px rgba(20,30,50,.04);border-top:3px solid var(--kpi,#4E79A7)}
    .kpi .label{font-size:12.5px;color:var(--muted);font-weight:600}
    .kpi .label .cn{font-weight:400;margin-left:4px;color:var(--faint)}
    .kpi .value{font-size:28px;font-weight:700;letter-spacing:-.02em;margin:4px 0 2px}
    .kpi .sub{font-size:12px;color:var(--muted);min-height:17px}\
    .kpi .note{font-size:12px;color:var(--faint);margin-top:1px}.alert{color:var(--up)}
    .delta{font-weight:600;margin-right:4px}.delta.up{color:var(--up)}.delta.down{color:var(--down)}.delta.flat{color:var(--faint)}
    .grid{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:18px;margin-bottom:18px}
    .card{background:var(--card);border-radius:12px;padding:16px 20px 14px;box-shadow:0 1px 2px rgba(20,30,50,.06),\
    0 2px 10px rgba(20,30,50,.04);margin-bottom:18px}
    .grid .card{margin-bottom:0}
    .card h2{font-size:15px;margin:0 0 2px;font-weight:650}
    .card h2 .cn{font-weight:400;color:var(--muted);margin-left:6px;font-size:14px}
    .card .caption{margin:0 0 10px;color:var(--muted);font-size:12.5px}
    svg.chart{width:100%;height:auto;display:block;font-family:inherit}
    svg .grid{stroke:#e8ecf2;stroke-width:1}svg .grid.base{stroke:#b8c1cf}
    svg .tick{fill:#6b778b;font-size:11px}svg .axis-title{fill:#5e6b80;font-size:11.5px;font-weight:600}
    svg .shade{fill:#f4f6fa}svg .track{fill:#f1f3f7}
    svg .bar-label{fill:#27324a;font-size:12.5px}svg .bar-sublabel{fill:#8a95a8;font-size:11px}
    svg .bar-value{fill:#27324a;font-size:12px;font-weight:600}svg .bar-note{fill:#8a95a8;font-weight:400}
    svg rect[fill]{stroke:#fff;stroke-width:.6}
    .legend{list-style:none;margin:8px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px 16px;font-size:12.5px;color:#33405a}
    .legend li{display:flex;align-items:center;gap:6px}
    .legend .cn{color:var(--faint)}.legend-value{color:var(--muted);font-weight:600}
    .swatch{width:11px;height:11px;border-radius:3px;display:inline-block;flex:none}
    .empty{color:var(--faint);font-style:italic;padding:24px 0;text-align:center;margin:0}
    table{border-collapse:collapse;width:100%;font-size:13px}
    .table-wrap{overflow-x:auto}
    th,td{padding:7px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap}
    th{font-size:11.5px;line-height:1.3;color:var(--muted);font-weight:600;background:#f8f9fc;vertical-align:bottom;\
    white-space:normal;min-width:58px}
    th .cn{display:block;font-weight:400;color:var(--faint)}
    th:first-child,td:first-child{text-align:left}
    td.member{font-weight:600;max-width:260px;overflow:hidden;text-overflow:ellipsis}
    tbody tr:hover{background:#f8fafd}
    tfoot td{font-weight:700;border-top:2px solid #cfd6e1;border-bottom:none;background:#fbfcfe}
    .zero{color:#b4bccb}
    .badge{display:inline-block;font-size:11px;font-weight:600;border-radius:999px;padding:1px 8px;margin-left:6px;\
    background:#fdecea;color:#b03a2e;vertical-align:1px}
    .badge.warn{background:#fff3da;color:#9a6400}
    .share{display:inline-block;width:44px;height:6px;border-radius:3px;background:#edf0f5;margin-left:8px;\
    vertical-align:middle;overflow:hidden}
    .share>span{display:block;height:100%;background:var(--accent)}
    .split{display:flex;height:22px;border-radius:6px;overflow:hidden;margin:6px 0 4px;background:#f1f3f7}
    .split>span{display:block;height:100%}
    .split-row{margin-bottom:12px}.split-row .title{font-size:12.5px;color:var(--muted);font-weight:600}
    .notice{background:var(--warn-bg);border:1px solid var(--warn-line);border-radius:10px;padding:10px 16px;\
    margin-bottom:18px;font-size:13px;color:#6b4a00}
    .notice ul{margin:4px 0 0;padding-left:20px}
    .figures{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px;margin-top:12px}
    .figure{background:#f8f9fc;border-radius:8px;padding:8px 12px}
    .figure .n{font-size:18px;font-weight:700}.figure .l{font-size:12px;color:var(--muted)}
    footer{padding:6px 36px 28px;color:var(--faint);font-size:12px;max-width:1480px;margin:0 auto}
    .report{max-width:1240px;margin:0 auto;padding:8px 36px 32px}
    .report-head{max-width:1168px;margin:0 auto}.top .subtitle{margin:4px 0 0;font-size:18px;opacity:.9}
    .report table{font-size:12.5px}.report table.compact{width:auto;min-width:640px}
    .report .card:has(table.compact){display:inline-block;min-width:0}
    .report section>.card{margin-bottom:12px}
    .report h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid var(--line);padding-bottom:6px}
    .report h3{font-size:14.5px;margin:18px 0 6px}
    .report .card{padding:14px 18px}
    .report li{margin:4px 0}
    .report .next{color:var(--muted)}
    @media print{body{background:#fff}.card,.kpi{box-shadow:none;border:1px solid var(--line)}.top{print-color-adjust:exact;\
    -webkit-print-color-adjust:exact}}
    @media (max-width:1100px){.kpis{grid-template-columns:repeat(3,minmax(0,1fr))}.grid{grid-template-columns:1fr}}
    """
}
