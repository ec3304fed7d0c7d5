/// The report's inline CSS: system fonts, a readable measure on a laptop, zebra tables with tabular figures,
/// figures scaled to the page width, and print rules that keep tables and figures whole on a page.
enum ReportStylesheet {
  static let css = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #f4f5f7; color: #1d2330;
      font: 15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 48px; background: #fff; min-height: 100vh; }
    header { border-bottom: 3px solid #b3261e; margin-bottom: 20px; padding-bottom: 12px; }
    h1 { font-size: 26px; margin: 0 0 12px; }
    h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #dde1e6; }
    dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0; font-size: 14px; }
    dl.meta dt { color: #5b6473; font-weight: 600; }
    dl.meta dd { margin: 0; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
      overflow-wrap: anywhere; }
    nav ol { margin: 8px 0 0; padding-left: 20px; font-size: 14px; columns: 2; }
    nav a { color: #1f5fa8; text-decoration: none; }
    .table-wrap { overflow-x: auto; margin: 12px 0 20px; }
    table { border-collapse: collapse; font-size: 13px; min-width: 50%; }
    caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 6px; }
    th, td { padding: 4px 9px; border-bottom: 1px solid #e3e6ea; text-align: left; white-space: nowrap; }
    th { background: #eef1f5; font-weight: 600; }
    tbody tr:nth-child(even) td { background: #fafbfc; }
    td.num { text-align: right; font-variant-numeric: tabular-nums;
      font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
    figure { margin: 16px 0 26px; }
    figure .plot { overflow-x: auto; border: 1px solid #e3e6ea; border-radius: 4px; background: #fff; }
    figure svg { display: block; max-width: 100%; height: auto; }
    figcaption { color: #5b6473; font-size: 13px; margin-top: 6px; }
    details { margin: 12px 0; }
    summary { cursor: pointer; color: #1f5fa8; }
    pre { background: #f6f8fa; border: 1px solid #e3e6ea; padding: 10px 12px; overflow-x: auto; font-size: 12px; }
    p.omitted { color: #b3261e; }
    footer { margin-top: 40px; color: #8a93a3; font-size: 12px; }
    @media print {
      body { background: #fff; }
      main { max-width: none; padding: 0; }
      nav { display: none; }
      figure, .table-wrap, tr { break-inside: avoid; }
      h2 { break-after: avoid; }
      details > pre { display: block; }
    }
    """
}
