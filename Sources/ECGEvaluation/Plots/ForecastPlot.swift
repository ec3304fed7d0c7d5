import Foundation

/// One lead of a forecast: the context the model saw, then the true continuation and the forecast, both
/// starting right after the context (mV).
public struct ForecastLead: Sendable, Equatable {
  /// Samples given to the model.
  public var context: [Float]
  /// The real samples after the context.
  public var truth: [Float]
  /// The model's samples after the context.
  public var prediction: [Float]

  public init(context: [Float], truth: [Float], prediction: [Float]) {
    self.context = context
    self.truth = truth
    self.prediction = prediction
  }

  /// The per-lead split of the reference's `plot_forecast` inputs (evaluation.md §7.2): `fullTruth` and
  /// `fullPrediction` are `[lead][L]`, and the context length and the two ends count positions in the lead-major
  /// flattened signal, so a context may cover whole leads and end inside another.
  public static func split(
    fullTruth: [[Float]], fullPrediction: [[Float]], contextLength: Int, truthEnd: Int, predictionEnd: Int
  ) -> [ForecastLead] {
    precondition(fullTruth.count == fullPrediction.count, "truth and prediction have the same leads")
    return fullTruth.indices.map { lead in
      let length = fullTruth[lead].count
      let offset = lead * length
      let clip = { (position: Int) in min(max(position - offset, 0), length) }
      let begin = clip(contextLength)
      let truthStop = clip(truthEnd)
      let predictionStop = min(clip(predictionEnd), fullPrediction[lead].count)
      return ForecastLead(
        context: Array(fullTruth[lead][0..<begin]),
        truth: begin < truthStop ? Array(fullTruth[lead][begin..<truthStop]) : [],
        prediction: begin < predictionStop ? Array(fullPrediction[lead][begin..<predictionStop]) : [])
    }
  }
}

/// A forecast figure: one panel per lead, the context in black, then the true continuation (blue) and the
/// forecast (red) after a dashed vertical line at the end of the context; time in seconds, amplitude in mV.
///
/// ```swift
/// let svg = ForecastPlot().render(leads: ForecastLead.split(fullTruth: gt, fullPrediction: pred,
///   contextLength: 1250, truthEnd: 2500, predictionEnd: 2500), leadNames: names, samplingRate: 250)
/// ```
public struct ForecastPlot: Sendable {
  /// Figure width, px.
  public var width: Double
  /// Height of one lead panel, px.
  public var panelHeight: Double

  public init(width: Double = 1100, panelHeight: Double = 80) {
    self.width = width
    self.panelHeight = panelHeight
  }

  static let contextColor = "#000"
  static let truthColor = "#1f77b4"
  static let predictionColor = "#d62728"

  /// The SVG document, one row per lead.
  public func render(leads: [ForecastLead], leadNames: [String], samplingRate: Double, title: String? = nil) -> String {
    precondition(leads.count == leadNames.count, "one lead name per lead")
    precondition(samplingRate > 0, "a positive sampling rate")
    let samples = leads.map { $0.context.count + max($0.truth.count, $0.prediction.count) }.max() ?? 0
    let duration = max(Double(samples) / samplingRate, 1 / samplingRate)
    let marginLeft = 70.0
    let top = (title == nil ? 12.0 : 36.0) + 24
    let rowGap = 8.0
    let panelWidth = width - marginLeft - 16
    let height = top + Double(leads.count) * (panelHeight + rowGap) + 34
    let maxPoints = Int(panelWidth * 2)

    var svg = SVGMarkup.open(width: width, height: height, label: title ?? "Forecast")
    if let title { svg += PlotPanel.text(title, x: 12, y: 22, size: 15, bold: true) }
    svg += PlotPanel.legend(
      [
        (label: "Context", color: Self.contextColor, dash: nil),
        (label: "Ground truth", color: Self.truthColor, dash: nil),
        (label: "Forecast", color: Self.predictionColor, dash: nil), (label: "Context end", color: "#888", dash: "5 3"),
      ], x: marginLeft, y: top - 10)
    for (row, lead) in leads.enumerated() {
      let lastRow = row == leads.count - 1
      let (panel, rowSVG) = PlotPanel.leadRow(
        values: (lead.context + lead.truth + lead.prediction).map(Double.init), name: leadNames[row], left: marginLeft,
        top: top + Double(row) * (panelHeight + rowGap), width: panelWidth, height: panelHeight, duration: duration,
        lastRow: lastRow)
      svg += rowSVG
      if row == 0 {
        svg += PlotPanel.text("mV", x: marginLeft - 4, y: panel.top - 2, anchor: "end", size: 10, color: "#666")
      }
      let split = lead.context.count
      // The continuation starts at the last context sample so the lines join without a gap.
      let joint: [Float] = lead.context.last.map { [$0] } ?? []
      let continuationStart = max(split - joint.count, 0)
      svg += panel.line(
        decimatedPoints(lead.context, samplingRate: samplingRate, maxPoints: maxPoints), color: Self.contextColor)
      svg += panel.line(
        decimatedPoints(joint + lead.truth, start: continuationStart, samplingRate: samplingRate, maxPoints: maxPoints),
        color: Self.truthColor)
      svg += panel.line(
        decimatedPoints(
          joint + lead.prediction, start: continuationStart, samplingRate: samplingRate, maxPoints: maxPoints),
        color: Self.predictionColor)
      if split > 0 && !(lead.truth.isEmpty && lead.prediction.isEmpty) {
        svg += panel.verticalLine(at: Double(split) / samplingRate, color: "#888")
      }
      if lastRow {
        svg += PlotPanel.text(
          "Time (s)", x: marginLeft + panelWidth / 2, y: panel.top + panelHeight + 30, anchor: "middle")
      }
    }
    return svg + "</svg>\n"
  }
}
