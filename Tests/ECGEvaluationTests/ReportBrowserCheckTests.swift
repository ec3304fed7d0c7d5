import ECGEvaluation
import Foundation
import TestSupport
import Testing

/// Chromium from PATH (or `CHROMIUM`), nil when none is installed.
private let chromium: String? = {
  if let path = ProcessInfo.processInfo.environment["CHROMIUM"], !path.isEmpty { return path }
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
  for directory in path.split(separator: ":") {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
  }
  return nil
}()

/// Runs `scripts/check_report.sh` and returns its exit status and output.
private func checkReport(_ report: URL, screenshot: URL) throws -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/bash")
  process.arguments = [
    SharedFixtures.packageRoot.appendingPathComponent("scripts/check_report.sh").path, report.path, screenshot.path,
  ]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  try process.run()
  let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  return (process.terminationStatus, output)
}

@Suite(
  .enabled(
    if: chromium != nil,
    "Chromium is not installed; `apt-get install chromium` to check report.html in a headless browser"),
  .serialized)
struct ReportBrowserCheckTests {
  /// Where the sample report and its screenshot go: `ECG_REPORT_SAMPLE_DIR` to keep and look at them.
  private func folder() throws -> URL {
    if let kept = ProcessInfo.processInfo.environment["ECG_REPORT_SAMPLE_DIR"] {
      let url = URL(fileURLWithPath: kept)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      return url
    }
    return try SharedFixtures.temporaryDirectory(prefix: "report-browser")
  }

  @Test func sampleReportRendersInChromiumWithoutFetchingAnything() throws {
    let folder = try folder()
    let report = folder.appendingPathComponent("report.html")
    try HTMLReportRenderer().write(ReportSampleReport.make(), to: report)
    let screenshot = folder.appendingPathComponent("report.png")
    let result = try checkReport(report, screenshot: screenshot)
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains("6 figures"))
    let png = try Data(contentsOf: screenshot)
    #expect(png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
  }

  @Test func checkFailsOnExternalReferencesAndEmptyFigures() throws {
    let folder = try folder()
    let external = folder.appendingPathComponent("external.html")
    let page = HTMLReportRenderer().render(EvaluationReport(title: "External"))
      .replacingOccurrences(
        of: "</main>", with: "<div style=\"background: url(https://example.com/x.png)\">x</div></main>")
    try Data(page.utf8).write(to: external)
    let externalResult = try checkReport(external, screenshot: folder.appendingPathComponent("external.png"))
    #expect(externalResult.status == 1)
    #expect(externalResult.output.contains("https://"), "\(externalResult.output)")

    let empty = folder.appendingPathComponent("empty.html")
    let emptyFigure = "<svg width=\"0\" height=\"0\" viewBox=\"0 0 1 1\"></svg>"
    let emptyPage = HTMLReportRenderer().render(
      EvaluationReport(
        title: "Empty",
        sections: [ReportSection(heading: "s", blocks: [.figure(ReportFigure(svg: emptyFigure, caption: "nothing"))])]))
    try Data(emptyPage.utf8).write(to: empty)
    let emptyResult = try checkReport(empty, screenshot: folder.appendingPathComponent("empty.png"))
    #expect(emptyResult.status == 1)
    #expect(emptyResult.output.contains("figure 1"), "\(emptyResult.output)")
  }
}
