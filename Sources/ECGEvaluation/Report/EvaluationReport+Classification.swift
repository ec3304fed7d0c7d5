import Foundation

extension EvaluationReport {
  /// The report of a downstream classification: one table row per encoder, protocol and label fraction (macro
  /// AUROC, AUPRC, F1 as mean ± std over the seeds, MERL's test-selected column beside MERL's published number),
  /// the first seed's per-class test ROC curves and validation AUROC by epoch for each row at the largest fraction,
  /// zero-shot scores, the notes, and the raw results JSON.
  public init(classification results: ClassificationResults, metadata: [ReportField] = [], resultsJSON: String? = nil) {
    let header = [
      "Encoder", "Protocol", "Label fraction", "Train records", "AUROC", "AUPRC", "F1", "merl_compat AUROC",
      "MERL published %",
    ]
    let rows = results.rows.map { row -> [ReportCell] in
      func cell(_ key: String) -> ReportCell { row.aggregate[key].map(ReportCell.aggregate) ?? "–" }
      return [
        .text(row.encoder), .text(row.protocolName), .number(row.labelFraction), .number(Double(row.trainRecords)),
        cell("auroc_macro"), cell("auprc_macro"), cell("f1_macro"), cell("merl_compat_max_test_auroc"),
        row.merlPublished.map { .text(String(format: "%.2f (%@)", $0.auroc, $0.source)) } ?? "–",
      ]
    }
    let labels =
      "Labels \(results.labels.rawValue) on \(results.data): \(results.classes.count) classes "
      + "(\(results.classes.joined(separator: ", ")))"
    // Zero-shot is one deterministic run with no trained rows: no seeds, no probe table.
    var summary: [ReportBlock] =
      results.rows.isEmpty && results.zeroShot != nil
      ? [.paragraph(labels + "; zero-shot, one deterministic run.")]
      : [
        .paragraph(
          labels + "; seeds \(results.seeds.map(String.init).joined(separator: ", ")). "
            + "Test metrics at the epoch with the best validation macro AUROC; merl_compat is the test-selected "
            + "maximum, for comparison with MERL's published protocol only."),
        .table(
          ReportTable(caption: "Macro scores on the test split, mean ± std over the seeds", header: header, rows: rows)
        ),
      ]
    summary += results.notes.map(ReportBlock.paragraph)
    var sections = [ReportSection(heading: "Results", blocks: summary)]

    var figures: [ReportBlock] = []
    let largest = results.rows.map(\.labelFraction).max()
    for row in results.rows where row.labelFraction == largest {
      guard let run = row.runs.first else { continue }
      let name = "\(row.encoder), \(row.protocolName), fraction \(ReportNumberFormat.string(row.labelFraction))"
      if run.testROC.count == results.classes.count {
        let curves = zip(results.classes, run.testROC).map { (name: $0, curve: $1) }
        figures.append(
          .figure(
            ReportFigure(
              svg: ROCPlot().render(curves: curves, title: name),
              caption: "Test ROC per class, seed \(results.seeds.first.map(String.init) ?? "0"): \(name).")))
      }
      if run.validationAUROCByEpoch.count > 1 {
        let points = run.validationAUROCByEpoch.enumerated().map { (x: Double($0.offset), y: $0.element) }
        let chart = LineChart().render(
          series: [.init(name: "validation macro AUROC", points: points)], xLabel: "Epoch", yLabel: "Macro AUROC",
          title: name)
        figures.append(.figure(ReportFigure(svg: chart, caption: "Validation macro AUROC by epoch: \(name).")))
      }
    }
    if let zeroShot = results.zeroShot {
      var blocks: [ReportBlock] = [
        .table(
          ReportTable(
            caption: "Zero-shot on the test split", header: ["AUROC", "AUPRC", "merl_compat F1-max"],
            rows: [
              [.number(zeroShot.test.aurocMacro), .number(zeroShot.test.auprcMacro), .number(zeroShot.merlCompatF1Max)]
            ]))
      ]
      if zeroShot.testROC.count == results.classes.count {
        let curves = zip(results.classes, zeroShot.testROC).map { (name: $0, curve: $1) }
        blocks.append(
          .figure(
            ReportFigure(
              svg: ROCPlot().render(curves: curves, title: "Zero-shot"), caption: "Zero-shot test ROC per class.")))
      }
      sections.append(ReportSection(heading: "Zero-shot", blocks: blocks))
    }
    if !figures.isEmpty { sections.append(ReportSection(heading: "Curves", blocks: figures)) }
    if let resultsJSON {
      sections.append(
        ReportSection(heading: "Results file", blocks: [.preformatted(summary: "results JSON", text: resultsJSON)]))
    }
    self.init(title: "ecg eval — classification (\(results.labels.rawValue))", metadata: metadata, sections: sections)
  }
}
