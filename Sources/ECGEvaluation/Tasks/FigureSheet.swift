import ECGData
import Foundation
import Torch

/// ECG figures of the evaluation tasks: SVG documents laid side by side in one file, drawn with `ECGPlotSVG`
/// (one lead per row, in the model's normalised units).
struct FigureSheet {
  var samplingRate: Int

  /// One panel: `signal` [C, T] with its lead names and title.
  func panel(_ signal: Tensor, leadNames: [String], title: String) -> String {
    let leads = signal.to(dtype: .float32, device: .cpu).contiguous()
    let rows = (0..<leads.size(0)).map { leads[$0].floats() }
    return ECGPlotSVG(layout: .stacked).render(
      signal: rows, leadNames: leadNames, samplingRate: Double(samplingRate), title: title)
  }

  /// Writes `panels` side by side into `file` (creating its folder).
  func write(_ panels: [String], to file: URL) throws {
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(Self.sideBySide(panels).utf8).write(to: file, options: .atomic)
  }

  /// SVG documents nested in one document, left to right.
  static func sideBySide(_ documents: [String]) -> String {
    func size(_ document: String, _ attribute: String) -> Double {
      guard let range = document.range(of: " \(attribute)=\""),
        let end = document[range.upperBound...].firstIndex(of: "\"")
      else { return 0 }
      return Double(document[range.upperBound..<end]) ?? 0
    }
    let widths = documents.map { size($0, "width") }
    let height = documents.map { size($0, "height") }.max() ?? 0
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(widths.reduce(0, +))" height="\(height)">

      """
    var x = 0.0
    for (document, width) in zip(documents, widths) {
      svg +=
        document.replacingOccurrences(
          of: "<svg ", with: "<svg x=\"\(x)\" y=\"0\" ", options: [], range: document.range(of: "<svg ")) + "\n"
      x += width
    }
    return svg + "</svg>\n"
  }
}
