import ECGEvaluation
import Foundation
import TestSupport
import Testing

@testable import ECGCommandLine

@Suite(.serialized) struct EvalReportCommandTests {
  @Test func evalWritesASelfContainedReportBesideItsResults() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-report")
    defer { run.remove() }
    _ = try run.evaluate("generation", ["--seeds", "0", "1", "--sample_steps", "2", "--figures", "2"])
    let report = run.run.appendingPathComponent("generation_None_store_report.html")
    let html = try String(contentsOf: report, encoding: .utf8)
    #expect(html.contains("<h1>ecg eval — generation</h1>"))
    #expect(html.contains("<td>fid</td>") && html.contains("<td>mmd</td>"))
    #expect(html.contains(" ± "))
    #expect(html.contains("<dt>checkpoint</dt>"))
    // FID and MMD depend on the sampling steps.
    #expect(html.contains("<dt>sample steps</dt><dd>2</dd>"))
    // Which weights were scored, also after the run's best checkpoint moves on.
    #expect(html.contains("checkpoints/best (epoch 0, optimizer step 0)"))
    #expect(html.components(separatedBy: "<figure>").count - 1 == 2, "the two sample figures the task drew")
    #expect(html.contains("generation_0") && html.contains("generation_1"))
    for forbidden in ["http://", "https://", "src=", "<script"] { #expect(!html.contains(forbidden)) }
    #expect(html.contains("generation_None_store_results.json"))

    // In a real browser where one is installed (scripts/check_report.sh says how to get Chromium).
    guard ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains(where: FileManager.default.isExecutableFile)
    else { return }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [
      SharedFixtures.packageRoot.appendingPathComponent("scripts/check_report.sh").path, report.path,
      run.run.appendingPathComponent("report.png").path,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(output)")
  }

  /// The settings each task's numbers depend on are in its report's metadata (they were not), and zero-shot shows
  /// no seeds.
  @Test func theMetadataRecordsTheSettingsTheNumbersDependOn() throws {
    let dit = try EvalRun(network: EvalRun.dit, name: "eval-metadata")
    defer { dit.remove() }
    func fields(_ run: EvalRun, _ task: String, _ extra: [String] = []) throws -> [String: String] {
      let context = try EvalCommand.parse(["--task", task, "--nn_ckpt", run.run.path, "--device", "cpu"] + extra)
        .resolvedContext()
      return Dictionary(uniqueKeysWithValues: context.reportMetadata(task: task).map { ($0.name, $0.value) })
    }
    #expect(try fields(dit, "generation")["sample steps"] == "50 (the network's default)")
    #expect(try fields(dit, "generation", ["--sample_steps", "7"])["sample steps"] == "7")
    #expect(try fields(dit, "reconstruction")["sampling rate"] == "250 Hz (sets the SSIM window)")
    #expect(try fields(dit, "reconstruction")["sample steps"] == nil)
    let decoder = try EvalRun(network: EvalRun.decoder, name: "eval-metadata-decoder")
    defer { decoder.remove() }
    var context = try EvalCommand.parse(
      ["--task", "forecasting", "--nn_ckpt", decoder.run.path, "--device", "cpu", "--forecast_ratio", "0.25"]
    ).resolvedContext()
    var forecasting = context.reportMetadata(task: "forecasting")
    #expect(forecasting.contains(ReportField(name: "forecast ratio", value: "0.25")))
    #expect(!forecasting.contains { $0.name == "signal head steps" })
    context.settings.signalHead = true
    context.settings.signalHeadNumSteps = 9
    forecasting = context.reportMetadata(task: "forecasting")
    #expect(forecasting.contains(ReportField(name: "signal head steps", value: "9")))
    let zeroShot = context.reportMetadata(task: "classification", deterministic: true)
    #expect(zeroShot.contains(ReportField(name: "seeds", value: "none (one deterministic run)")))
  }

  @Test func classificationWritesAReportWithItsTableAndCurves() throws {
    let run = ClassificationTaskTests.trained
    let out = run.folder.appendingPathComponent("eval-report-classification")
    try EvalCommand.parse([
      "--task", "classification", "--nn_ckpt", run.run.path, "--data", run.store, "--labels", "synthetic",
      "--label_fraction", "1", "--probe_epochs", "2", "--seeds", "0", "--out", out.path, "--device", "cpu",
    ]).run()
    let html = try String(
      contentsOf: out.appendingPathComponent("classification_synthetic_linear_store_report.html"), encoding: .utf8)
    #expect(html.contains("<td>pretrained</td>") && html.contains("<td>random init (frozen)</td>"))
    #expect(html.contains("AUROC"))
    #expect(html.contains("Test ROC per class"))
    for forbidden in ["http://", "https://", "src=", "<script"] { #expect(!html.contains(forbidden)) }
  }
}
