import Foundation

/// Draws multi-lead ECGs as SVG on ECG paper: 1 mm minor and 5 mm major grid, 25 mm/s, 10 mm/mV, a 1 mV
/// calibration pulse at the start of each row, lead names, and an optional title (e.g. the report).
///
/// ```swift
/// let svg = ECGPlotSVG().render(signal: ecg.signal, leadNames: ecg.leadNames, samplingRate: 250, title: ecg.report)
/// ```
public struct ECGPlotSVG: Sendable {
  /// How leads are arranged.
  public enum Layout: Sendable {
    /// The clinical layout: 3 rows × 4 columns (I–III, aVR–aVF, V1–V3, V4–V6), each column a quarter of
    /// the record, plus a full-length rhythm strip of lead II (12 standard leads expected).
    case standard
    /// Every lead full length in its own row.
    case stacked
  }

  /// Lead arrangement.
  public var layout: Layout
  /// Output pixels per millimetre of paper.
  public var pixelsPerMillimetre: Double
  /// Height of one row, mm.
  public var rowHeight: Double
  /// Paper speed, mm/s.
  public var millimetresPerSecond: Double
  /// Gain, mm/mV.
  public var millimetresPerMillivolt: Double

  /// Creates a plotter with the usual paper settings.
  public init(
    layout: Layout = .standard, pixelsPerMillimetre: Double = 4, rowHeight: Double = 30,
    millimetresPerSecond: Double = 25, millimetresPerMillivolt: Double = 10
  ) {
    self.layout = layout
    self.pixelsPerMillimetre = pixelsPerMillimetre
    self.rowHeight = rowHeight
    self.millimetresPerSecond = millimetresPerSecond
    self.millimetresPerMillivolt = millimetresPerMillivolt
  }

  private struct Panel {
    var lead: Int
    var row: Int
    var start: Int
    var end: Int
    var xOffset: Double  // mm from the trace origin
  }

  /// The SVG document for `signal[lead][sample]` in mV.
  public func render(signal: [[Float]], leadNames: [String], samplingRate: Double, title: String? = nil) -> String {
    precondition(signal.count == leadNames.count, "one name per lead")
    let samples = signal.map(\.count).max() ?? 0
    let duration = Double(samples) / samplingRate
    let panels = self.panels(leads: signal.count, samples: samples, samplingRate: samplingRate)
    let rows = (panels.map(\.row).max() ?? -1) + 1
    let left = 12.0  // mm: room for the calibration pulse
    let top = title == nil ? 4.0 : 12.0
    let widthMM = left + duration * millimetresPerSecond + 4
    let heightMM = top + Double(rows) * rowHeight + 4
    let px = pixelsPerMillimetre
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(f(widthMM * px))" height="\(f(heightMM * px))" \
      viewBox="0 0 \(f(widthMM * px)) \(f(heightMM * px))" font-family="Helvetica, Arial, sans-serif">
      <defs>
      <pattern id="minor" width="\(f(px))" height="\(f(px))" patternUnits="userSpaceOnUse">
      <path d="M \(f(px)) 0 L 0 0 0 \(f(px))" fill="none" stroke="#f6c6c6" stroke-width="0.5"/></pattern>
      <pattern id="major" width="\(f(5 * px))" height="\(f(5 * px))" patternUnits="userSpaceOnUse">
      <rect width="\(f(5 * px))" height="\(f(5 * px))" fill="url(#minor)"/>
      <path d="M \(f(5 * px)) 0 L 0 0 0 \(f(5 * px))" fill="none" stroke="#e88f8f" stroke-width="1"/></pattern>
      </defs>
      <rect width="100%" height="100%" fill="#fff"/>
      <rect x="0" y="\(f(top * px))" width="\(f(widthMM * px))" height="\(f(Double(rows) * rowHeight * px))" fill="url(#major)"/>

      """
    if let title {
      svg += "<text x=\"\(f(4 * px))\" y=\"\(f(8 * px))\" font-size=\"\(f(4 * px))\">\(escape(title))</text>\n"
    }
    let pulse = millimetresPerMillivolt * px
    for row in 0..<rows {
      let baseline = (top + (Double(row) + 0.6) * rowHeight) * px
      let x0 = 2 * px
      svg +=
        "<path d=\"M \(f(x0)) \(f(baseline)) h \(f(2 * px)) v \(f(-pulse)) h \(f(5 * px)) v \(f(pulse)) h \(f(2 * px))\" "
      svg += "fill=\"none\" stroke=\"#000\" stroke-width=\"1.2\"/>\n"
    }
    // Traces in integer units: x = samples, y = 0.01 mV, scaled to paper by the group transform.
    let sx = millimetresPerSecond / samplingRate * px
    let sy = millimetresPerMillivolt / 100 * px
    for panel in panels {
      let baseline = (top + (Double(panel.row) + 0.6) * rowHeight) * px
      let x = (left + panel.xOffset) * px
      let values = signal[panel.lead]
      svg +=
        "<text x=\"\(f(x + px))\" y=\"\(f(baseline - 0.45 * rowHeight * px))\" font-size=\"\(f(3.5 * px))\" font-weight=\"bold\">"
      svg += "\(escape(leadNames[panel.lead]))</text>\n"
      guard panel.end > panel.start else { continue }
      var d = "M0 \(-units(values[panel.start]))l"
      var previous = -units(values[panel.start])
      for n in (panel.start + 1)..<min(panel.end, values.count) {
        let y = -units(values[n])
        d +=
          n == panel.start + 1 ? "1 \(y - previous)" : (y - previous < 0 ? " 1\(y - previous)" : " 1 \(y - previous)")
        previous = y
      }
      svg += "<g transform=\"translate(\(f(x)) \(f(baseline))) scale(\(f(sx, digits: 4)) \(f(sy, digits: 4)))\">"
      svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"#000\" stroke-width=\"1.1\" vector-effect=\"non-scaling-stroke\" "
      svg += "stroke-linejoin=\"round\"/></g>\n"
    }
    svg += "</svg>\n"
    return svg
  }

  private func panels(leads: Int, samples: Int, samplingRate: Double) -> [Panel] {
    switch layout {
    case .stacked:
      return (0..<leads).map { Panel(lead: $0, row: $0, start: 0, end: samples, xOffset: 0) }
    case .standard:
      let quarter = samples / 4
      var panels: [Panel] = []
      for lead in 0..<min(leads, 12) {
        let (column, row) = (lead / 3, lead % 3)
        panels.append(
          Panel(
            lead: lead, row: row, start: column * quarter, end: (column + 1) * quarter,
            xOffset: Double(column * quarter) / samplingRate * millimetresPerSecond))
      }
      if leads > 1 { panels.append(Panel(lead: 1, row: 3, start: 0, end: samples, xOffset: 0)) }
      return panels
    }
  }

  private func units(_ millivolts: Float) -> Int {
    millivolts.isFinite ? Int((Double(millivolts) * 100).rounded()) : 0
  }

  private func f(_ value: Double, digits: Int = 2) -> String {
    let text = String(format: "%.\(digits)f", value)
    guard text.contains(".") else { return text }
    var trimmed = Substring(text)
    while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
    if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
    return String(trimmed)
  }

  private func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
