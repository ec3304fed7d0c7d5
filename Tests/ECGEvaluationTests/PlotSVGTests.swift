import ECGData
import ECGEvaluation
import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Parses `svg` as XML and returns the element names, or the parser's error.
func parsedSVGElements(_ svg: String) -> Result<[String], Error> {
  final class Collector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
      attributes: [String: String] = [:]
    ) { elements.append(elementName) }
  }
  let parser = XMLParser(data: Data(svg.utf8))
  let collector = Collector()
  parser.delegate = collector
  guard parser.parse() else {
    return .failure(parser.parserError ?? CocoaError(.fileReadCorruptFile))
  }
  return .success(collector.elements)
}

@Suite struct PlotSVGTests {
  static let ecg = SyntheticECGGenerator(seed: 3, sampleCount: 500, samplingRate: 250).record(at: 0)

  @Test func everyPlotIsWellFormedXML() throws {
    let ecg = Self.ecg
    let title = "Sinus <rhythm> & \"quotes\""
    let documents = [
      ECGGridPlot(arrangement: .overlay).render(
        traces: [ECGTrace(name: "Real", signal: ecg.signal), ECGTrace(name: "Generated <x>", signal: ecg.signal)],
        leadNames: ecg.leadNames, samplingRate: 250, title: title),
      ECGGridPlot(arrangement: .sideBySide).render(
        traces: [ECGTrace(name: "Real", signal: ecg.signal), ECGTrace(name: "Reconstructed", signal: ecg.signal)],
        leadNames: ecg.leadNames, samplingRate: 250, title: title),
      ForecastPlot().render(
        leads: ForecastLead.split(
          fullTruth: ecg.signal, fullPrediction: ecg.signal, contextLength: 250, truthEnd: 6000, predictionEnd: 6000),
        leadNames: ecg.leadNames, samplingRate: 250, title: title),
      ROCPlot().render(
        curves: [(name: "A & B", curve: ROCCurve(scores: [0.1, 0.9], labels: [false, true]))], title: title),
      LineChart().render(
        series: [.init(name: "loss", points: [(0, 1), (1, .nan), (2, 0.5)])], xLabel: "step", yLabel: "loss"),
    ]
    for svg in documents {
      let elements = try parsedSVGElements(svg).get()
      #expect(elements.first == "svg")
      #expect(elements.contains("path"))
      #expect(svg.contains("Sinus &lt;rhythm&gt; &amp; &quot;quotes&quot;") || !svg.contains("Sinus"))
      #expect(!svg.contains("NaN") && !svg.contains("inf"))
    }
  }

  @Test func overlayGridHasOnePanelPerLeadWithLeadNamesAndAxes() throws {
    let ecg = Self.ecg
    let svg = ECGGridPlot().render(
      traces: [ECGTrace(name: "Real", signal: ecg.signal), ECGTrace(name: "Generated", signal: ecg.signal)],
      leadNames: ecg.leadNames, samplingRate: 250)
    for name in ecg.leadNames { #expect(svg.contains(">\(name)</text>")) }
    #expect(svg.contains(">Time (s)</text>"))
    #expect(svg.contains(">mV</text>"))
    // Two traces in each of the 12 panels, in black and red.
    #expect(svg.components(separatedBy: "stroke=\"#000\" stroke-width=\"1\"").count - 1 == 12)
    #expect(svg.components(separatedBy: "stroke=\"#d62728\" stroke-width=\"1\"").count - 1 == 12)
    // 500 samples at 250 Hz: the time axis ends at 2 s.
    #expect(svg.contains(">2.0</text>") || svg.contains(">2</text>"))
  }

  @Test func forecastSplitFollowsTheReferencesFlattenedPositions() {
    // Two leads of 4 samples; the context covers lead 0 and half of lead 1; the prediction stops one short.
    let truth: [[Float]] = [[1, 2, 3, 4], [5, 6, 7, 8]]
    let prediction: [[Float]] = [[-1, -2, -3, -4], [-5, -6, -7, -8]]
    let leads = ForecastLead.split(
      fullTruth: truth, fullPrediction: prediction, contextLength: 6, truthEnd: 8, predictionEnd: 7)
    #expect(leads[0] == ForecastLead(context: [1, 2, 3, 4], truth: [], prediction: []))
    #expect(leads[1] == ForecastLead(context: [5, 6], truth: [7, 8], prediction: [-7]))
  }

  @Test func forecastPlotDrawsTheSplitLineOnlyWhereAContinuationFollows() {
    let leads = [
      ForecastLead(context: [0, 1, 0, 1], truth: [1, 0], prediction: [0.5, 0.5]),
      ForecastLead(context: [0, 1, 0, 1, 1, 0], truth: [], prediction: []),
    ]
    let svg = ForecastPlot().render(leads: leads, leadNames: ["I", "II"], samplingRate: 2)
    // One dashed split line (lead I) plus its legend key.
    #expect(svg.components(separatedBy: "stroke-dasharray=\"5 3\"/>").count - 1 == 2)
    #expect(svg.contains("#1f77b4") && svg.contains("#d62728"))
  }

  @Test func plotFilesWriteSVGAndPNGOnlyWithAConverter() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plot-files-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let svg = LineChart().render(series: [.init(name: "a", points: [(0, 0), (1, 1)])], xLabel: "x", yLabel: "y")
    let written = try PlotFiles.write(svg: svg, name: "curve", in: folder)
    #expect(try String(contentsOf: written.svg, encoding: .utf8) == svg)
    if PlotFiles.pngConverter() != nil {
      let png = try #require(written.png)
      let header = try Data(contentsOf: png).prefix(8)
      #expect(header == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    } else {
      #expect(written.png == nil)
    }
  }
}
