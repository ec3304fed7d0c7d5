import Foundation

/// One signal drawn in an `ECGGridPlot`: a name for the legend, a colour, and `signal[lead][sample]` in mV.
public struct ECGTrace: Sendable {
  /// Legend text, e.g. "Real" or "Generated".
  public var name: String
  /// Any SVG colour; nil takes the default for the trace's position (black, then red, blue, green, …).
  public var color: String?
  /// `[lead][sample]`, mV.
  public var signal: [[Float]]

  /// A trace named `name` for the legend.
  public init(name: String, signal: [[Float]], color: String? = nil) {
    self.name = name
    self.signal = signal
    self.color = color
  }

  static let defaultColors = ["#000", "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd"]
}

/// Multi-lead ECGs on axes (time in seconds, amplitude in mV, one panel per lead, lead names), several traces
/// per figure: real against generated or reconstructed, overlaid in one panel per lead or side by side.
///
/// ```swift
/// let svg = ECGGridPlot(arrangement: .overlay).render(
///   traces: [ECGTrace(name: "Real", signal: real), ECGTrace(name: "Reconstructed", signal: reconstructed)],
///   leadNames: ECGLeads.standard, samplingRate: 250, title: report)
/// ```
public struct ECGGridPlot: Sendable {
  /// Where the traces go.
  public enum Arrangement: Sendable {
    /// All traces in the same panel per lead; with 12 leads two columns (limb leads, chest leads) of six.
    case overlay
    /// One column per trace, one row per lead, the same amplitude scale across a row.
    case sideBySide
  }

  /// Panel arrangement.
  public var arrangement: Arrangement
  /// Figure width, px.
  public var width: Double
  /// Height of one lead panel, px.
  public var panelHeight: Double

  /// A plot `width` pixels wide with `panelHeight`-pixel lead panels.
  public init(arrangement: Arrangement = .overlay, width: Double = 1100, panelHeight: Double = 72) {
    self.arrangement = arrangement
    self.width = width
    self.panelHeight = panelHeight
  }

  /// The SVG document. Every trace holds one row per lead name (traces may differ in length; the time axis
  /// covers the longest).
  public func render(traces: [ECGTrace], leadNames: [String], samplingRate: Double, title: String? = nil) -> String {
    precondition(!traces.isEmpty, "at least one trace")
    precondition(traces.allSatisfy { $0.signal.count == leadNames.count }, "one signal row per lead name per trace")
    precondition(samplingRate > 0, "a positive sampling rate")
    let traces = traces.enumerated().map { index, trace in
      var trace = trace
      trace.color = trace.color ?? ECGTrace.defaultColors[index % ECGTrace.defaultColors.count]
      return trace
    }
    let leads = leadNames.count
    let columns = arrangement == .sideBySide ? traces.count : (leads > 6 ? 2 : 1)
    let rows = arrangement == .sideBySide ? leads : (leads + columns - 1) / columns
    let samples = traces.flatMap { $0.signal.map(\.count) }.max() ?? 0
    let duration = max(Double(samples) / samplingRate, 1 / samplingRate)

    let marginLeft = 70.0
    let gutter = 40.0
    let top =
      (title == nil ? 12.0 : 36.0) + (traces.count > 1 && arrangement == .overlay ? 24 : 0)
      + (arrangement == .sideBySide ? 22 : 0)
    let rowGap = 8.0
    let panelWidth = (width - marginLeft - 16 - Double(columns - 1) * (gutter + marginLeft - 30)) / Double(columns)
    let height = top + Double(rows) * (panelHeight + rowGap) + 34

    var svg = SVGMarkup.open(width: width, height: height, label: title ?? "ECG")
    if let title { svg += PlotPanel.text(title, x: 12, y: 22, size: 15, bold: true) }
    if traces.count > 1 && arrangement == .overlay {
      svg += PlotPanel.legend(
        traces.map { (label: $0.name, color: $0.color ?? "#000", dash: nil) }, x: marginLeft, y: top - 10)
    }
    let maxPoints = Int(panelWidth * 2)
    for column in 0..<columns {
      let columnLeft = marginLeft + Double(column) * (panelWidth + gutter + marginLeft - 30)
      if arrangement == .sideBySide {
        svg += PlotPanel.text(
          traces[column].name, x: columnLeft + panelWidth / 2, y: top - 8, anchor: "middle", size: 13, bold: true,
          color: traces[column].color ?? "#000")
      }
      let leadsInColumn =
        arrangement == .sideBySide
        ? Array(0..<leads) : Array(stride(from: column * rows, to: min((column + 1) * rows, leads), by: 1))
      for (row, lead) in leadsInColumn.enumerated() {
        let shown = arrangement == .sideBySide ? [traces[column]] : traces
        // One amplitude scale per lead across every trace, so real and generated compare by eye.
        let lastRow = row == leadsInColumn.count - 1
        let (panel, rowSVG) = PlotPanel.leadRow(
          values: traces.flatMap { $0.signal[lead].map(Double.init) }, name: leadNames[lead], left: columnLeft,
          top: top + Double(row) * (panelHeight + rowGap), width: panelWidth, height: panelHeight, duration: duration,
          lastRow: lastRow)
        svg += rowSVG
        for trace in shown {
          let points = decimatedPoints(trace.signal[lead], samplingRate: samplingRate, maxPoints: maxPoints)
          svg += panel.line(points, color: trace.color ?? "#000", width: 1)
        }
        if row == 0 {
          svg += PlotPanel.text("mV", x: columnLeft - 4, y: panel.top - 2, anchor: "end", size: 10, color: "#666")
        }
        if lastRow {
          svg += PlotPanel.text(
            "Time (s)", x: columnLeft + panelWidth / 2, y: panel.top + panelHeight + 30, anchor: "middle", size: 12)
        }
      }
    }
    return svg + "</svg>\n"
  }
}
