import Foundation

/// ROC curves in a unit square with the chance diagonal, one curve per class (or a macro curve the caller
/// computes), each labelled with its AUROC in the legend.
///
/// ```swift
/// let svg = ROCPlot().render(curves: ROCPlot.perClass(scores: scores, labels: labels, classNames: names))
/// ```
public struct ROCPlot: Sendable {
  /// Side of the square axes, px.
  public var side: Double

  public init(side: Double = 420) { self.side = side }

  /// One named curve per column of `scores[sample][class]` / `labels[sample][class]`.
  public static func perClass(scores: [[Double]], labels: [[Bool]], classNames: [String]) -> [(
    name: String, curve: ROCCurve
  )] {
    precondition(scores.count == labels.count, "one label row per score row")
    return classNames.indices.map { k in
      (name: classNames[k], curve: ROCCurve(scores: scores.map { $0[k] }, labels: labels.map { $0[k] }))
    }
  }

  /// The SVG document; a class whose curve is undefined (one label value only) is listed in the legend as
  /// "AUROC n/a" and not drawn.
  public func render(curves: [(name: String, curve: ROCCurve)], title: String? = nil) -> String {
    let marginLeft = 64.0
    let top = title == nil ? 16.0 : 40.0
    let legendWidth = 260.0
    let legendRows = Double(curves.count)
    let width = marginLeft + side + 24 + legendWidth
    let height = max(top + side + 52, top + 24 + legendRows * 20)
    var svg = SVGMarkup.open(width: width, height: height, label: title ?? "ROC curves")
    if let title { svg += PlotPanel.text(title, x: 12, y: 24, size: 15, bold: true) }
    let panel = PlotPanel(left: marginLeft, top: top, width: side, height: side, x: 0...1, y: 0...1)
    svg += panel.axes(xTicks: 5, yTicks: 5, xLabels: true)
    svg += panel.line([(x: 0, y: 0), (x: 1, y: 1)], color: "#999", dash: "5 4")
    svg += PlotPanel.text("False positive rate", x: marginLeft + side / 2, y: top + side + 36, anchor: "middle")
    svg += PlotPanel.text("True positive rate", x: 20, y: top + side / 2, anchor: "middle", rotate: true)
    let legendLeft = marginLeft + side + 24
    for (index, entry) in curves.enumerated() {
      let color = PlotPalette.color(index)
      let points = zip(entry.curve.falsePositiveRates, entry.curve.truePositiveRates).map { (x: $0, y: $1) }
      svg += panel.line(points, color: color, width: 1.8)
      let area = entry.curve.area
      let label = "\(entry.name) (AUROC \(area.isNaN ? "n/a" : String(format: "%.3f", area)))"
      let y = top + 14 + Double(index) * 20
      svg += "<line x1=\"\(SVGMarkup.number(legendLeft))\" y1=\"\(SVGMarkup.number(y - 4))\" "
      svg +=
        "x2=\"\(SVGMarkup.number(legendLeft + 22))\" y2=\"\(SVGMarkup.number(y - 4))\" stroke=\"\(color)\" stroke-width=\"2.5\"/>"
      svg += PlotPanel.text(label, x: legendLeft + 28, y: y)
    }
    return svg + "</svg>\n"
  }
}
