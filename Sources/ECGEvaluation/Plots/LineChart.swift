import Foundation

/// A small line chart of one or more named series (a loss or metric curve over steps or epochs).
public struct LineChart: Sendable {
  /// One named series of (x, y) points; non-finite y values leave a gap.
  public struct Series: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]

    public init(name: String, points: [(x: Double, y: Double)]) {
      self.name = name
      self.points = points
    }
  }

  /// Figure width and height, px.
  public var width: Double
  public var height: Double

  public init(width: Double = 640, height: Double = 320) {
    self.width = width
    self.height = height
  }

  /// The SVG document with axis labels and, for several series, a legend.
  public func render(series: [Series], xLabel: String, yLabel: String, title: String? = nil) -> String {
    let marginLeft = 70.0
    let top = (title == nil ? 14.0 : 38.0) + (series.count > 1 ? 22 : 0)
    let bottom = 46.0
    let xs = LinearScale.extent(series.flatMap { $0.points.map(\.x) })
    let ys = LinearScale.extent(series.flatMap { $0.points.map(\.y) })
    let pad = (ys.upperBound - ys.lowerBound) * 0.05
    let panel = PlotPanel(
      left: marginLeft, top: top, width: width - marginLeft - 20, height: height - top - bottom,
      x: xs, y: (ys.lowerBound - pad)...(ys.upperBound + pad))
    var svg = SVGMarkup.open(width: width, height: height, label: title ?? yLabel)
    if let title { svg += PlotPanel.text(title, x: 12, y: 24, size: 15, bold: true) }
    if series.count > 1 {
      svg += PlotPanel.legend(
        series.indices.map { (label: series[$0].name, color: PlotPalette.color($0), dash: nil) }, x: marginLeft,
        y: top - 8)
    }
    svg += panel.axes(xTicks: 6, yTicks: 5, xLabels: true)
    for (index, entry) in series.enumerated() {
      svg += panel.line(entry.points, color: PlotPalette.color(index), width: 1.8)
    }
    svg += PlotPanel.text(xLabel, x: panel.left + panel.width / 2, y: height - 10, anchor: "middle")
    svg += PlotPanel.text(yLabel, x: 18, y: panel.top + panel.height / 2, anchor: "middle", rotate: true)
    return svg + "</svg>\n"
  }
}
