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

  /// An output folder that could not be written was found only when the first results or figure were written,
  /// after every seed (or the first seed's figures) had run.
  @Test func anUnwritableOutputFolderIsRefusedBeforeAnyWork() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-unwritable")
    defer { run.remove() }
    let file = run.folder.appendingPathComponent("afile")
    try Data("hi".utf8).write(to: file)
    let arguments = ["--task", "reconstruction", "--nn_ckpt", run.run.path, "--device", "cpu"] + Self.reconstruction
    let under = file.appendingPathComponent("sub").path
    #expect(
      EvalRun.message(arguments + ["--out", under])
        == "cannot use \(under): \(file.path) is a file, not a folder; choose another path")
    // The figures folder is checked too, where the task draws.
    let out = run.folder.appendingPathComponent("out")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try Data().write(to: out.appendingPathComponent("figures"))
    let figures = EvalRun.message(arguments + ["--out", out.path])
    #expect(figures.hasPrefix("cannot use \(out.path)/figures: "), "\(figures)")
    #expect(EvalRun.message(arguments + ["--out", out.path, "--figures", "0"]) == "accepted")
    // The check leaves no folder behind: what it created it removes.
    let fresh = run.folder.appendingPathComponent("fresh/a")
    _ = try EvalCommand.parse(arguments + ["--out", fresh.path])
    #expect(!FileManager.default.fileExists(atPath: fresh.deletingLastPathComponent().path))
  }

  /// `--overwrite` left the earlier evaluation's extra figures of the task beside the new ones.
  @Test func overwriteRemovesTheTasksEarlierFiguresAndOnlyThose() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-overwrite-figures")
    defer { run.remove() }
    let figures = run.run.appendingPathComponent("figures")
    let generation = ["--seeds", "0", "--max_samples", "3", "--sample_steps", "1"]
    _ = try run.evaluate("generation", generation + ["--figures", "3"])
    let kept = ["reconstruction_0_0.1.svg", "notes.txt", "generation_notes.txt"]
    for name in kept { try Data().write(to: figures.appendingPathComponent(name)) }
    _ = try run.evaluate("generation", generation + ["--figures", "1"], again: true)
    let left = try FileManager.default.contentsOfDirectory(atPath: figures.path).sorted()
    // generation_0.svg (and its .png where rsvg-convert is installed): generation_1 and _2 are gone.
    let drawn = left.filter { $0.hasPrefix("generation_") && !kept.contains($0) }
    #expect(drawn.contains("generation_0.svg") && drawn.allSatisfy { $0.hasPrefix("generation_0.") }, "\(left)")
    for name in kept { #expect(left.contains(name), "\(name) was removed") }
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
