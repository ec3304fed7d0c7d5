import ECGData
import ECGEvaluation
import Foundation
import TestSupport
import Testing

@Suite struct ReportRenderingTests {
  @Test func everyTextIsEscaped() {
    let hostile = "<script>alert('x')</script> & \"q\""
    let report = EvaluationReport(
      title: hostile, metadata: [(hostile, hostile)],
      sections: [
        ReportSection(
          heading: hostile,
          blocks: [
            .paragraph(hostile), .table(ReportTable(caption: hostile, header: [hostile], rows: [[.text(hostile)]])),
            .figure(ReportFigure(svg: LineChart().render(series: [], xLabel: hostile, yLabel: "y"), caption: hostile)),
            .preformatted(summary: hostile, text: hostile),
          ])
      ])
    let html = HTMLReportRenderer().render(report)
    #expect(!html.contains("<script"))
    #expect(!html.contains("alert('x')"))
    #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"))
  }

  @Test func pageIsSelfContained() {
    let html = HTMLReportRenderer().render(ReportSampleReport.make())
    for forbidden in ["http://", "https://", "src=", "<link", "@import", "<script", "<img"] {
      #expect(!html.contains(forbidden), "the page contains \(forbidden)")
    }
    // Every url(...) points inside the page.
    for range in html.ranges(of: "url(") { #expect(html[range.upperBound] == "#") }
    #expect(html.contains("Content-Security-Policy"))
    #expect(html.components(separatedBy: "<figure>").count - 1 == 6)
    #expect(html.components(separatedBy: "<svg ").count - 1 == 6)
  }

  @Test func figureIdsArePrefixedSoPatternsDoNotCollide() {
    let paper = ECGPlotSVG().render(signal: [[0, 1, 0]], leadNames: ["II"], samplingRate: 250)
    let report = EvaluationReport(
      title: "t",
      sections: [
        ReportSection(
          heading: "s",
          blocks: [.figure(ReportFigure(svg: paper, caption: "a")), .figure(ReportFigure(svg: paper, caption: "b"))])
      ])
    let html = HTMLReportRenderer().render(report)
    #expect(html.contains("id=\"fig1-major\"") && html.contains("id=\"fig2-major\""))
    #expect(html.contains("url(#fig2-minor)"))
    #expect(!html.contains("id=\"major\""))
  }

  @Test func unsafeFiguresAreLeftOutWithANote() {
    let unsafe = [
      "<svg><script>alert(1)</script></svg>", "<svg><image href=\"https://example.com/a.png\"/></svg>",
      "<svg><rect onload=\"alert(1)\"/></svg>", "<svg><rect fill=\"url(other.svg#p)\"/></svg>", "not svg",
    ]
    for svg in unsafe {
      let report = EvaluationReport(
        title: "t", sections: [ReportSection(heading: "s", blocks: [.figure(ReportFigure(svg: svg, caption: "c"))])])
      let html = HTMLReportRenderer().render(report)
      #expect(html.contains("This figure was left out"), "\(svg)")
      #expect(!html.contains("alert(1)") && !html.contains("example.com") && !html.contains("other.svg"))
    }
  }

  @Test func writeCreatesTheFolderAndTheFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("eval/report.html")
    try HTMLReportRenderer().write(EvaluationReport(title: "Generation"), to: url)
    let html = try String(contentsOf: url, encoding: .utf8)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(html.contains("<h1>Generation</h1>"))
  }
}

@Suite struct ReportFromResultsTests {
  @Test func runFolderBecomesAReportBesideItsResults() throws {
    let folder = try SharedFixtures.temporaryDirectory(prefix: "report-run")
    defer { try? FileManager.default.removeItem(at: folder) }
    let results = folder.appendingPathComponent("reconstruction_None_synthetic_results.json")
    try Data(
      #"{"mse": {"mean": 0.5, "std": 0.0, "values": [0.5]}, "psnr": {"mean": Infinity, "std": NaN, "values": [Infinity]}}"#
        .utf8
    )
    .write(to: results)
    let plots = folder.appendingPathComponent("plots")
    for step in [10, 2, 1] {
      let svg = LineChart().render(
        series: [.init(name: "a", points: [(0, 0), (1, Double(step))])], xLabel: "x", yLabel: "y")
      try PlotFiles.write(svg: svg, name: "step_\(step)", in: plots)
    }
    let url = try EvaluationReport.writeBeside(
      resultsJSON: results, title: "Reconstruction", metadata: [ReportField(name: "seeds", value: "1")],
      figures: [plots, folder.appendingPathComponent("absent"), plots.appendingPathComponent("step_1.svg")])
    #expect(url == folder.appendingPathComponent("reconstruction_None_synthetic_report.html"))
    let html = try String(contentsOf: url, encoding: .utf8)
    #expect(html.contains("<td>psnr</td><td class=\"num\">Infinity ± NaN</td>"))
    // Natural order: step_1, step_2, step_10.
    #expect(html.range(of: "step_1<")!.lowerBound < html.range(of: "step_2<")!.lowerBound)
    #expect(html.range(of: "step_2<")!.lowerBound < html.range(of: "step_10<")!.lowerBound)
    #expect(html.contains("Figure 4. step_1<"))  // a file given by itself
    #expect(!html.contains("http://") && !html.contains("https://"))
  }

  /// Every evaluation wrote `report.html`, so a second task's page replaced the first one's.
  @Test func eachResultsFileHasItsOwnReportName() {
    let folder = URL(fileURLWithPath: "/runs/0")
    let names = [
      "generation_None_store_results.json", "reconstruction_None_store_results.json",
      "reconstruction_None_other_results.json", "classification_synthetic_store_results.json", "metrics.json",
    ].map { EvaluationReport.fileBeside(resultsJSON: folder.appendingPathComponent($0)).path }
    #expect(
      names == [
        "/runs/0/generation_None_store_report.html", "/runs/0/reconstruction_None_store_report.html",
        "/runs/0/reconstruction_None_other_report.html", "/runs/0/classification_synthetic_store_report.html",
        "/runs/0/metrics.html",
      ])
  }

  @Test func missingResultsFileIsAClearError() {
    #expect {
      try EvaluationReport.writeBeside(resultsJSON: URL(fileURLWithPath: "/nonexistent/x_results.json"), title: "t")
    } throws: { error in
      "\(error)".contains("Cannot read the results file /nonexistent/x_results.json")
    }
  }
}

@Suite struct ReportInlineSVGTests {
  @Test func figureWithoutViewBoxGetsOneFromItsSize() {
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"120.5\"><path d=\"M0 0L10 10\"/></svg>"
    let html = HTMLReportRenderer().render(
      EvaluationReport(
        title: "t", sections: [ReportSection(heading: "s", blocks: [.figure(ReportFigure(svg: svg, caption: "c"))])]))
    #expect(html.contains("<svg viewBox=\"0 0 300 120.5\" width=\"300\" height=\"120.5\">"))
  }
}
