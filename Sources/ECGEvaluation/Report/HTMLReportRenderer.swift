import Foundation

/// Renders an `EvaluationReport` as one self-contained HTML page: inline CSS, figures as inline SVG, no scripts,
/// no external URLs (a Content-Security-Policy that forbids every fetch backs this up), every text escaped.
/// The page reads on a laptop screen and prints with figures and tables kept whole.
public struct HTMLReportRenderer: Sendable {
  public init() {}

  /// The HTML document.
  public func render(_ report: EvaluationReport) -> String {
    var html = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
      <title>\(htmlEscaped(report.title))</title>
      <style>
      \(ReportStylesheet.css)
      </style>
      </head>
      <body>
      <main>
      <header>
      <h1>\(htmlEscaped(report.title))</h1>

      """
    if !report.metadata.isEmpty {
      html += "<dl class=\"meta\">\n"
      for field in report.metadata {
        html += "<dt>\(htmlEscaped(field.name))</dt><dd>\(htmlEscaped(field.value))</dd>\n"
      }
      html += "</dl>\n"
    }
    if report.sections.count > 1 {
      html += "<nav><ol>\n"
      for (index, section) in report.sections.enumerated() {
        html += "<li><a href=\"#section-\(index + 1)\">\(htmlEscaped(section.heading))</a></li>\n"
      }
      html += "</ol></nav>\n"
    }
    html += "</header>\n"
    var figureNumber = 0
    for (index, section) in report.sections.enumerated() {
      html += "<section id=\"section-\(index + 1)\">\n<h2>\(htmlEscaped(section.heading))</h2>\n"
      for block in section.blocks {
        switch block {
        case .paragraph(let text):
          html += "<p>\(htmlEscaped(text))</p>\n"
        case .table(let table):
          html += render(table)
        case .figure(let figure):
          figureNumber += 1
          html += render(figure, number: figureNumber)
        case .preformatted(let summary, let text):
          html += "<details><summary>\(htmlEscaped(summary))</summary><pre>\(htmlEscaped(text))</pre></details>\n"
        }
      }
      html += "</section>\n"
    }
    html += "<footer>Written by ECGEncoder (ecg eval). Self-contained: no scripts, no external resources.</footer>\n"
    html += "</main>\n</body>\n</html>\n"
    return html
  }

  /// Renders `report` to `url` (atomically), creating the folder if needed.
  public func write(_ report: EvaluationReport, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(render(report).utf8).write(to: url, options: .atomic)
  }

  private func render(_ table: ReportTable) -> String {
    var html = "<div class=\"table-wrap\"><table>\n"
    if table.collapsed {
      html = "<details><summary>\(htmlEscaped(table.caption ?? "Table")) (\(table.rows.count) rows)</summary>" + html
    } else if let caption = table.caption {
      html += "<caption>\(htmlEscaped(caption))</caption>\n"
    }
    html +=
      "<thead><tr>" + table.header.map { "<th scope=\"col\">\(htmlEscaped($0))</th>" }.joined() + "</tr></thead>\n"
    html += "<tbody>\n"
    for row in table.rows {
      html += "<tr>"
      for cell in row {
        html += cell.isNumeric ? "<td class=\"num\">" : "<td>"
        html += htmlEscaped(cell.text) + "</td>"
      }
      html += "</tr>\n"
    }
    return html + "</tbody></table></div>" + (table.collapsed ? "</details>" : "") + "\n"
  }

  private func render(_ figure: ReportFigure, number: Int) -> String {
    let caption = "<figcaption>Figure \(number). \(htmlEscaped(figure.caption))</figcaption>"
    guard let svg = InlineSVG.prepare(figure.svg, idPrefix: "fig\(number)-") else {
      return "<figure><p class=\"omitted\">This figure was left out: its SVG is not a plain drawing (it holds a "
        + "script, an event handler or an external reference).</p>\(caption)</figure>\n"
    }
    return "<figure><div class=\"plot\">\(svg)</div>\(caption)</figure>\n"
  }
}
