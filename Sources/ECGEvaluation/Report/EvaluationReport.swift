/// Everything one evaluation shows on its report page: a title, run and checkpoint metadata, and sections of
/// paragraphs, tables and figures in reading order. Render it with `HTMLReportRenderer`.
///
/// ```swift
/// var report = EvaluationReport(title: "Reconstruction — DiT-RF", metadata: [("checkpoint", path), ("seeds", "5")])
/// report.sections.append(ReportSection(heading: "Metrics", blocks: [.table(ReportTable(results: aggregates))]))
/// report.sections.append(ReportSection(heading: "Samples", blocks: [.figure(ReportFigure(svg: svg, caption: "…"))]))
/// try HTMLReportRenderer().write(report, to: runFolder.appendingPathComponent("report.html"))
/// ```
public struct EvaluationReport: Sendable {
  /// Page title and first heading.
  public var title: String
  /// Key/value facts about the run (checkpoint, data, task, flags, date), shown in order under the title.
  public var metadata: [ReportField]
  /// The body, in order.
  public var sections: [ReportSection]

  public init(title: String, metadata: [ReportField] = [], sections: [ReportSection] = []) {
    self.title = title
    self.metadata = metadata
    self.sections = sections
  }

  /// The same with metadata written as `(name, value)` pairs.
  public init(title: String, metadata: [(String, String)], sections: [ReportSection] = []) {
    self.init(title: title, metadata: metadata.map { ReportField(name: $0.0, value: $0.1) }, sections: sections)
  }
}

/// One metadata line: a name and its value.
public struct ReportField: Sendable, Equatable {
  public var name: String
  public var value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

/// A headed part of the report.
public struct ReportSection: Sendable {
  public var heading: String
  public var blocks: [ReportBlock]

  public init(heading: String, blocks: [ReportBlock] = []) {
    self.heading = heading
    self.blocks = blocks
  }
}

/// One piece of a section.
public enum ReportBlock: Sendable {
  /// Plain text (escaped; no markup).
  case paragraph(String)
  case table(ReportTable)
  case figure(ReportFigure)
  /// Monospaced text kept as is, folded away under `summary` (e.g. the results JSON).
  case preformatted(summary: String, text: String)
}

/// A picture drawn by the plots (`ECGGridPlot`, `ForecastPlot`, `ROCPlot`, `LineChart`), inlined as SVG.
public struct ReportFigure: Sendable {
  /// A complete `<svg …>…</svg>` document.
  public var svg: String
  /// Text under the figure.
  public var caption: String

  public init(svg: String, caption: String) {
    self.svg = svg
    self.caption = caption
  }
}
