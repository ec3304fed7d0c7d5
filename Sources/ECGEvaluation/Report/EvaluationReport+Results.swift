import Foundation

extension EvaluationReport {
  /// The report of one evaluation run from what it wrote: its results JSON (metric → `{mean, std, values}`, as a
  /// table with mean ± std and each seed), its SVG figures (`figures`: SVG files in order, or folders whose SVG
  /// files are taken in natural name order; at most `maxFigures`, the rest counted in a note), the run metadata,
  /// the evaluation's `notes` above the metrics, and the raw JSON folded away at the end.
  public init(
    title: String, resultsJSON: URL, metadata: [ReportField] = [], figures: [URL] = [], maxFigures: Int = 24,
    notes: [String] = []
  ) throws {
    let data: Data
    do {
      data = try Data(contentsOf: resultsJSON)
    } catch {
      throw ResultsJSON.FormatError(
        description: "Cannot read the results file \(resultsJSON.path) (\(error.localizedDescription)).")
    }
    let results = try ResultsJSON.orderedAggregates(from: data)
    var table = ReportTable(
      results: results, caption: "Every metric over the evaluation seeds: mean ± population std, then each seed.")
    var blocks: [ReportBlock] = notes.map { .paragraph("Note: \($0).") }
    // Many metrics of one shape (metric/noise level/lead) read better as a grid of means first.
    if results.count > 20, let grid = ReportTable.pivot(results, caption: "Means over the seeds") {
      blocks.append(.table(grid))
      table.collapsed = true
    }
    var sections = [ReportSection(heading: "Metrics", blocks: blocks + [.table(table)])]

    let svgFiles = try figures.flatMap(Self.svgFiles(at:))
    if !svgFiles.isEmpty {
      var blocks: [ReportBlock] = []
      for file in svgFiles.prefix(maxFigures) {
        let svg = try String(contentsOf: file, encoding: .utf8)
        blocks.append(.figure(ReportFigure(svg: svg, caption: file.deletingPathExtension().lastPathComponent)))
      }
      if svgFiles.count > maxFigures {
        let folders = Set(svgFiles.dropFirst(maxFigures).map { $0.deletingLastPathComponent().path })
        blocks.append(
          .paragraph("\(svgFiles.count - maxFigures) more figures are in \(folders.sorted().joined(separator: ", ")).")
        )
      }
      sections.append(ReportSection(heading: "Figures", blocks: blocks))
    }
    sections.append(
      ReportSection(
        heading: "Results file",
        blocks: [
          .preformatted(summary: resultsJSON.lastPathComponent, text: String(decoding: data, as: UTF8.self))
        ]))
    self.init(title: title, metadata: metadata, sections: sections)
  }

  /// Builds the report of a run (see `init(title:resultsJSON:metadata:figures:maxFigures:)`), writes it beside the
  /// results JSON as `fileBeside(resultsJSON:)` names it, and returns its location.
  @discardableResult
  public static func writeBeside(
    resultsJSON: URL, title: String, metadata: [ReportField] = [], figures: [URL] = [], notes: [String] = []
  ) throws -> URL {
    let report = try EvaluationReport(
      title: title, resultsJSON: resultsJSON, metadata: metadata, figures: figures, notes: notes)
    let url = fileBeside(resultsJSON: resultsJSON)
    try HTMLReportRenderer().write(report, to: url)
    return url
  }

  /// The report page of a results JSON, in the same folder: `<name>_report.html` for `<name>_results.json`
  /// (`reconstruction_None_store_report.html`), else the JSON's name with `.html`; so every task, label set and
  /// data set evaluated into one folder keeps its own page.
  public static func fileBeside(resultsJSON: URL) -> URL {
    let name = resultsJSON.lastPathComponent
    let suffix = "_results.json"
    let stem =
      name.hasSuffix(suffix)
      ? String(name.dropLast(suffix.count)) + "_report" : (name as NSString).deletingPathExtension
    return resultsJSON.deletingLastPathComponent().appendingPathComponent(stem + ".html")
  }

  /// `url` itself when it is an SVG file; the `.svg` files directly in it, in natural name order, when it is a
  /// folder; nothing when it does not exist.
  private static func svgFiles(at url: URL) throws -> [URL] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else { return [] }
    guard isFolder.boolValue else { return url.pathExtension.lowercased() == "svg" ? [url] : [] }
    return try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension.lowercased() == "svg" }
      .sorted { $0.lastPathComponent.compare($1.lastPathComponent, options: .numeric) == .orderedAscending }
  }
}
