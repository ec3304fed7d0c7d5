import Foundation

/// One axes box of a figure: a pixel frame, a data-to-pixel scale per axis, and the SVG for its grid, tick labels
/// and lines. Every plot in this folder is a stack of panels.
struct PlotPanel: Sendable {
  var left: Double
  var top: Double
  var width: Double
  var height: Double
  var x: LinearScale
  var y: LinearScale

  init(left: Double, top: Double, width: Double, height: Double, x: ClosedRange<Double>, y: ClosedRange<Double>) {
    self.left = left
    self.top = top
    self.width = width
    self.height = height
    self.x = LinearScale(domain: x, range: (left, left + width))
    self.y = LinearScale(domain: y, range: (top + height, top))
  }

  /// Light grid lines at the ticks, the tick labels (x labels only where `xLabels`), and a frame.
  func axes(xTicks: Int = 8, yTicks: Int = 3, xLabels: Bool, yLabels: Bool = true) -> String {
    let n = SVGMarkup.number
    var svg = "<g class=\"axes\">"
    let xStep = LinearScale.niceStep(span: x.domain.upperBound - x.domain.lowerBound, count: xTicks)
    for value in x.ticks(count: xTicks) {
      let px = x(value)
      svg +=
        "<line x1=\"\(n(px, 2))\" y1=\"\(n(top, 2))\" x2=\"\(n(px, 2))\" y2=\"\(n(top + height, 2))\" stroke=\"#e4e4e4\"/>"
      if xLabels {
        svg += "<text x=\"\(n(px, 2))\" y=\"\(n(top + height + 14, 2))\" text-anchor=\"middle\" fill=\"#444\">"
        svg += "\(LinearScale.label(value, step: xStep))</text>"
      }
    }
    let yStep = LinearScale.niceStep(span: y.domain.upperBound - y.domain.lowerBound, count: yTicks)
    for value in y.ticks(count: yTicks) {
      let py = y(value)
      svg +=
        "<line x1=\"\(n(left, 2))\" y1=\"\(n(py, 2))\" x2=\"\(n(left + width, 2))\" y2=\"\(n(py, 2))\" stroke=\"#e4e4e4\"/>"
      if yLabels {
        svg += "<text x=\"\(n(left - 4, 2))\" y=\"\(n(py + 4, 2))\" text-anchor=\"end\" fill=\"#444\" font-size=\"10\">"
        svg += "\(LinearScale.label(value, step: yStep))</text>"
      }
    }
    svg += "<rect x=\"\(n(left, 2))\" y=\"\(n(top, 2))\" width=\"\(n(width, 2))\" height=\"\(n(height, 2))\" "
    svg += "fill=\"none\" stroke=\"#999\"/></g>\n"
    return svg
  }

  /// A line through the data points (non-finite points leave a gap), clipped to the frame.
  func line(_ points: [(x: Double, y: Double)], color: String, width strokeWidth: Double = 1, dash: String? = nil)
    -> String
  {
    let pixels = points.map { (x: x($0.x), y: clampedY(y($0.y))) }
    let d = SVGMarkup.path(pixels)
    guard !d.isEmpty else { return "" }
    let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(SVGMarkup.number(strokeWidth))\""
      + "\(dashAttribute) stroke-linejoin=\"round\"/>\n"
  }

  /// A vertical line across the frame at data position `value`.
  func verticalLine(at value: Double, color: String, dash: String? = "5 3") -> String {
    let px = SVGMarkup.number(x(value))
    let dashAttribute = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
    return "<line x1=\"\(px)\" y1=\"\(SVGMarkup.number(top))\" x2=\"\(px)\" y2=\"\(SVGMarkup.number(top + height))\" "
      + "stroke=\"\(color)\" stroke-width=\"1\"\(dashAttribute)/>\n"
  }

  /// A text label at pixel position (`px`, `py`).
  /// One lead's panel in a stack of leads: the range of `values` padded by 8 % (at least 0.05 mV), the axes (time
  /// labels on the last row only) and the lead's name left of the panel.
  static func leadRow(
    values: [Double], name: String, left: Double, top: Double, width: Double, height: Double, duration: Double,
    lastRow: Bool
  ) -> (panel: PlotPanel, svg: String) {
    let amplitude = LinearScale.extent(values)
    let pad = max((amplitude.upperBound - amplitude.lowerBound) * 0.08, 0.05)
    let panel = PlotPanel(
      left: left, top: top, width: width, height: height, x: 0...duration,
      y: (amplitude.lowerBound - pad)...(amplitude.upperBound + pad))
    var svg = panel.axes(xTicks: Int(width / 90), yTicks: 2, xLabels: lastRow)
    svg += text(name, x: left - 36, y: top + height / 2 + 5, anchor: "end", size: 13, bold: true)
    return (panel, svg)
  }

  static func text(
    _ text: String, x px: Double, y py: Double, anchor: String = "start", size: Double = 12, bold: Bool = false,
    color: String = "#222", rotate: Bool = false
  ) -> String {
    let n = SVGMarkup.number
    let weight = bold ? " font-weight=\"bold\"" : ""
    let rotation = rotate ? " transform=\"rotate(-90 \(n(px, 2)) \(n(py, 2)))\"" : ""
    return "<text x=\"\(n(px, 2))\" y=\"\(n(py, 2))\" text-anchor=\"\(anchor)\" font-size=\"\(n(size, 2))\"\(weight) "
      + "fill=\"\(color)\"\(rotation)>\(SVGMarkup.escape(text))</text>\n"
  }

  /// A legend row of coloured line keys and labels starting at (`px`, `py`); returns the SVG.
  static func legend(_ entries: [(label: String, color: String, dash: String?)], x px: Double, y py: Double) -> String {
    var svg = "<g class=\"legend\">"
    var cursor = px
    for entry in entries {
      let dash = entry.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
      let n = SVGMarkup.number
      svg += "<line x1=\"\(n(cursor, 2))\" y1=\"\(n(py - 4, 2))\" x2=\"\(n(cursor + 22, 2))\" y2=\"\(n(py - 4, 2))\" "
      svg += "stroke=\"\(entry.color)\" stroke-width=\"2.5\"\(dash)/>"
      svg += text(entry.label, x: cursor + 28, y: py, size: 12)
      cursor += 28 + Double(entry.label.count) * 7 + 24
    }
    return svg + "</g>\n"
  }

  private func clampedY(_ value: Double) -> Double {
    guard value.isFinite else { return value }
    return min(max(value, top), top + height)
  }
}

/// Matplotlib's `tab10` colours, the default series colours.
enum PlotPalette {
  static let colors = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
  ]

  static func color(_ index: Int) -> String { colors[index % colors.count] }
}
