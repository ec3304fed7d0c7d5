import Foundation
import Testing

@testable import ECGCommandLine

/// What `ecg eval` writes into a run folder: one report per results file, nothing replaced without
/// `--overwrite`, and `--ema` only where there are EMA weights.
@Suite(.serialized) struct EvalOutputFilesTests {
  static let reconstruction = ["--seeds", "0", "--max_samples", "2", "--figures", "1"]

  /// Every task wrote `report.html`, so the second task's page replaced the first one's.
  @Test func everyTaskKeepsItsOwnReport() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-outputs")
    defer { run.remove() }
    _ = try run.evaluate("generation", ["--seeds", "0", "--max_samples", "2", "--sample_steps", "1", "--figures", "0"])
    _ = try run.evaluate("reconstruction", Self.reconstruction)
    for task in ["generation", "reconstruction"] {
      let html = try String(
        contentsOf: run.run.appendingPathComponent("\(task)_None_store_report.html"), encoding: .utf8)
      #expect(html.contains("<h1>ecg eval — \(task)</h1>"))
    }
    #expect(!FileManager.default.fileExists(atPath: run.run.appendingPathComponent("report.html").path))
  }

  /// A rerun of the same task replaced its results JSON, report and figures without a word.
  @Test func aRerunIsRefusedBeforeAnyWorkUnlessOverwrite() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-rerun")
    defer { run.remove() }
    let first = try run.evaluate("reconstruction", Self.reconstruction)
    let results = run.run.appendingPathComponent("reconstruction_None_store_results.json")
    try Data("{}".utf8).write(to: results)
    let arguments = ["--task", "reconstruction", "--nn_ckpt", run.run.path, "--device", "cpu"] + Self.reconstruction
    let message = EvalRun.message(arguments)
    #expect(message.contains("/runs/pretrain/net/0 already holds"), "\(message)")
    #expect(
      message.hasSuffix(
        " already holds reconstruction_None_store_results.json, reconstruction_None_store_report.html, "
          + "figures/reconstruction_* (5 files) from an earlier evaluation; pass --overwrite to replace them, or "
          + "--out DIR to write elsewhere"), "\(message)")
    #expect(try String(contentsOf: results, encoding: .utf8) == "{}", "nothing was written")
    // Without figures the figures of the earlier run are not in the way.
    #expect(!EvalRun.message(arguments + ["--figures", "0"]).contains("figures/"))
    // Another output folder, or --overwrite, runs.
    let elsewhere = run.folder.appendingPathComponent("elsewhere")
    #expect(EvalRun.message(arguments + ["--out", elsewhere.path]) == "accepted")
    #expect(try run.evaluate("reconstruction", Self.reconstruction, again: true) == first)
  }

  /// `--ema` on a run trained without EMA evaluated the plain weights and called them EMA weights.
  @Test func emaWithoutEMAWeightsIsRefused() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-ema")
    defer { run.remove() }
    let best = run.run.appendingPathComponent("checkpoints/best")
    let arguments = ["--task", "reconstruction", "--device", "cpu", "--ema"] + Self.reconstruction
    let message = EvalRun.message(arguments + ["--nn_ckpt", run.run.path])
    #expect(message.hasPrefix("--ema: the checkpoint "), "\(message)")
    #expect(message.contains("/checkpoints/best has no EMA weights"), "\(message)")
    #expect(
      message.hasSuffix(
        "(no ema.safetensors: its run trained without --ema); drop --ema to evaluate its weights, or pretrain with "
          + "--ema"), "\(message)")
    let file = run.folder.appendingPathComponent("weights.safetensors")
    try FileManager.default.copyItem(at: best.appendingPathComponent("model.safetensors"), to: file)
    #expect(
      EvalRun.message(arguments + ["--nn_ckpt", file.path, "--out", run.folder.path]).hasPrefix(
        "--ema: \(file.path) is a single .safetensors file, which holds one set of weights and no EMA"))
    // With EMA weights beside the model's, --ema evaluates them.
    try FileManager.default.copyItem(
      at: best.appendingPathComponent("model.safetensors"), to: best.appendingPathComponent("ema.safetensors"))
    #expect(EvalRun.message(arguments + ["--nn_ckpt", run.run.path]) == "accepted")
  }
}
