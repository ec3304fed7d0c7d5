import ArgumentParser
import ECGData
import ECGEvaluation
import ECGModels
import ECGText
import ECGTraining
import Foundation
import TestSupport
import Testing
import Torch

@testable import ECGCommandLine

/// A run folder as `ecg pretrain` leaves it (config.yaml, checkpoints/best), holding a freshly initialised tiny
/// network: built without the pretraining loop, whose network factory other suites replace while they run.
struct EvalRun {
  let folder: URL
  let store: String
  let run: URL
  let settings: PretrainSettings

  init(network: [String], name: String = "eval") throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    store = folder.appendingPathComponent("store").path
    try DataSynthCommand.parse(["--count", "20", "--out", store, "--quiet", "--threads", "1"]).run()
    settings = try PretrainCommand.parse(
      ["--data", store, "--preset", "tiny", "--segment_len", "250", "--device", "cpu"] + network
    ).resolvedSettings()
    Torch.manualSeed(7)
    let trainee = try PretrainNetworks.build(settings)
    // DiT's adaLN-zero initialisation outputs zeros whatever the input; nudged weights make every output depend
    // on the condition, as after training.
    withNoGrad {
      for (_, parameter) in trainee.module.stateDict() where parameter.dtype == .float32 {
        parameter.copy(from: parameter + Tensor.randn(parameter.shape) * 0.02)
      }
    }
    run = folder.appendingPathComponent("runs/pretrain/net/0")
    try CheckpointFolder.write(
      to: run.appendingPathComponent("checkpoints/best"), model: trainee.module.stateDict(), ema: nil,
      optimizer: OptimizerState(), trainer: TrainerState(), configuration: try RunFolder.yaml(settings))
  }

  static let dit = [
    "--neural_network", "trans_continuous_dit", "--objective", "rectified_flow", "--max_seq_len", "250",
  ]

  static let decoder = [
    "--neural_network", "trans_discrete_decoder", "--bpe_symbolic_len", "512", "--bpe_tokenizer_path",
    SharedFixtures.referenceTokenizerPath,
  ]

  func remove() { try? FileManager.default.removeItem(at: folder) }

  /// Runs `ecg eval` on this run and returns the results JSON's text; `again` replaces an earlier evaluation's
  /// files (`--overwrite`).
  func evaluate(_ task: String, _ extra: [String] = [], again: Bool = false) throws -> String {
    try EvalCommand.parse(
      ["--task", task, "--nn_ckpt", run.path, "--threads", "1", "--device", "cpu"] + extra
        + (again ? ["--overwrite"] : [])
    ).run()
    return try String(
      contentsOf: run.appendingPathComponent("\(task)_None_store_results.json"), encoding: .utf8)
  }

  /// The error message `ecg eval` gives for `arguments`, or "accepted".
  static func message(_ arguments: [String]) -> String { message(EvalCommand.self, arguments) }

  /// The error message `command` gives for `arguments`, or "accepted".
  static func message(_ command: (some ParsableCommand).Type, _ arguments: [String]) -> String {
    do {
      var parsed = try command.parse(arguments)
      try parsed.run()
      return "accepted"
    } catch {
      return error is CommandError ? "\(error)" : command.message(for: error)
    }
  }
}

/// Aggregates of a results JSON; Python's non-finite literals (which Foundation's reader rejects) read as null.
func aggregates(_ json: String) throws -> [String: [String: Any]] {
  var text = json
  for literal in ["-Infinity", "Infinity", "NaN"] { text = text.replacingOccurrences(of: literal, with: "null") }
  let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(object as? [String: [String: Any]])
}

@Suite(.serialized) struct EvalCommandTests {
  /// A run whose store has moved was told "is a reference folder" (eval) and "unknown reference dataset" (sample).
  @Test func aRunWhoseStoreMovedSaysSo() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    try FileManager.default.moveItem(atPath: run.store, toPath: run.folder.appendingPathComponent("moved").path)
    let message = EvalRun.message(["--task", "reconstruction", "--nn_ckpt", run.run.path, "--device", "cpu"])
    #expect(message.hasPrefix("--data \(run.store) is neither a dataset store nor a reference dataset name"))
    #expect(message.hasSuffix("if the store moved, pass --data with its new path"))
    let sample = #expect(throws: (any Error).self) {
      try SampleCommand.parse([run.run.path, "--out", run.folder.appendingPathComponent("s.svg").path]).run()
    }
    #expect(
      sample.map { "\($0)" }?.contains("'\(run.store)' is neither a dataset store (a folder with store.json)") == true)
  }

  /// `--steps=-3` was a range trap in DiT's sampling loop; `--steps 0` drew pure noise without a word.
  @Test func sampleRefusesFewerThanOneStep() {
    let folder = FileManager.default.temporaryDirectory.path
    for steps in ["0", "-3"] {
      do {
        _ = try SampleCommand.parse([folder, "--steps=\(steps)"])
        Issue.record("--steps=\(steps) was accepted")
      } catch {
        #expect(SampleCommand.message(for: error) == "--steps must be at least 1 (or left out for the model's own)")
      }
    }
    // Was one batch of any size: --count 100000 ran the machine out of memory.
    do {
      _ = try SampleCommand.parse([folder, "--count", "100000"])
      Issue.record("--count 100000 was accepted")
    } catch {
      #expect(SampleCommand.message(for: error).hasPrefix("--count 100000 is more than one figure shows (at most 32)"))
    }
  }

  @Test func generationRunsOverFiveSeedsAndWritesResultsAndFigures() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    let json = try run.evaluate("generation", ["--sample_steps", "2", "--figures", "2"])
    let results = try aggregates(json)
    #expect(Set(results.keys) == ["fid", "mmd"])
    #expect(json.hasPrefix("{\n  \"fid\": {\n    \"mean\": "))
    let fid = try #require(results["fid"])
    let values = try #require(fid["values"] as? [Double])
    #expect(values.count == 5)
    #expect(values.allSatisfy { $0.isFinite && $0 > 0 })
    #expect(Set(values).count > 1, "the seeds draw different noise")
    let mean = values.reduce(0, +) / 5
    #expect(abs((fid["mean"] as? Double ?? .nan) - mean) < 1e-9)
    let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 5).squareRoot()
    #expect(abs((fid["std"] as? Double ?? .nan) - std) < 1e-9, "population std over the seeds")
    for step in 0..<2 {
      let figure = run.run.appendingPathComponent("figures/generation_\(step).svg")
      let svg = try String(contentsOf: figure, encoding: .utf8)
      #expect(svg.hasPrefix("<svg") && svg.contains("generated"))
    }
    #expect(!FileManager.default.fileExists(atPath: run.run.appendingPathComponent("figures/generation_2.svg").path))
  }

  @Test func reconstructionReportsEveryMetricPerNoiseLevelAndLead() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    let json = try run.evaluate("reconstruction", ["--seeds", "0", "1", "--figures", "1"])
    let results = try aggregates(json)
    // 5 noise levels × 4 metrics × (global + 12 leads).
    #expect(results.count == 5 * 4 * 13)
    let order = json.split(separator: "\n").filter { $0.hasPrefix("  \"") }.prefix(3)
    #expect(
      order.map { $0.trimmingCharacters(in: .whitespaces) } == [
        "\"mse/t=0.1/global\": {", "\"mse/t=0.1/I\": {", "\"mse/t=0.1/II\": {",
      ])
    let psnr = try #require(results["psnr/t=0.9/V6"]?["values"] as? [Double])
    #expect(psnr.count == 2 && psnr.allSatisfy { $0.isFinite })
    // Less noise, better reconstruction: even an untrained network keeps most of x_t at t = 0.9.
    let mseEarly = try #require(results["mse/t=0.1/global"]?["mean"] as? Double)
    let mseLate = try #require(results["mse/t=0.9/global"]?["mean"] as? Double)
    #expect(mseLate < mseEarly)
    for t in ["0.1", "0.3", "0.5", "0.7", "0.9"] {
      #expect(
        FileManager.default.fileExists(atPath: run.run.appendingPathComponent("figures/reconstruction_0_\(t).svg").path)
      )
    }
  }

  @Test func forecastingScoresTokensAndTheDecodedSignal() throws {
    let run = try EvalRun(network: EvalRun.decoder)
    defer { run.remove() }
    let json = try run.evaluate("forecasting", ["--seeds", "0", "1", "--max_samples", "2", "--figures", "1"])
    let results = try aggregates(json)
    #expect(json.hasPrefix("{\n  \"accuracy\": {"))
    #expect(Set(results.keys) == ["accuracy", "mse", "mae", "mase", "pearson_r", "snr_db"])
    let accuracy = try #require(results["accuracy"]?["mean"] as? Double)
    #expect(accuracy >= 0 && accuracy <= 1)
    // The decoded context scales MASE (the reference's is always NaN, E9).
    let mase = try #require(results["mase"]?["values"] as? [Double])
    #expect(mase.count == 2 && mase.allSatisfy { $0.isFinite && $0 > 0 })
    // Greedy decoding of the fixed test split is the same for both seeds: scored once, said so.
    #expect(mase[0] == mase[1] && results["accuracy"]?["std"] as? Double == 0)
    let firstReport = try FileManager.default.contentsOfDirectory(atPath: run.run.path).first {
      $0.hasPrefix("forecasting_") && $0.hasSuffix("_report.html")
    }
    let firstPage = try String(
      contentsOf: run.run.appendingPathComponent(try #require(firstReport)), encoding: .utf8)
    #expect(firstPage.contains("do not depend on the seed"))
    let svg = try String(contentsOf: run.run.appendingPathComponent("figures/forecasting_0.svg"), encoding: .utf8)
    #expect(svg.contains("Context") && svg.contains("Ground truth") && svg.contains("Forecast"))
    // A context that fills the decoder's positions leaves room for a token or two: said, not hidden. (A 12 × 250
    // window's tokens fit 512 positions, so this run reads 128.)
    let short = try EvalRun(
      network: EvalRun.decoder.map { $0 == "512" ? "128" : $0 }, name: "eval-short-decoder")
    defer { short.remove() }
    _ = try short.evaluate("forecasting", ["--seeds", "0", "--max_samples", "2", "--forecast_ratio", "0.05"])
    let report = try FileManager.default.contentsOfDirectory(atPath: short.run.path).first {
      $0.hasPrefix("forecasting_") && $0.hasSuffix("_report.html")
    }
    let page = try String(contentsOf: short.run.appendingPathComponent(try #require(report)), encoding: .utf8)
    #expect(page.contains("windows were forecast in part"))
    #expect(page.contains("the context fills the decoder&#39;s 128 positions"))
    // The run's tokenizer at another place is taken from the flag (here a missing one, which the error names).
    let moved = EvalRun.message([
      "--task", "forecasting", "--nn_ckpt", run.run.path, "--bpe_tokenizer_path", "/nonexistent/tokenizer.json",
      "--device", "cpu", "--out", run.folder.appendingPathComponent("moved").path,
    ])
    #expect(moved.contains("/nonexistent/tokenizer.json"), "\(moved)")
  }

  @Test func signalHeadForecastingScoresTheGeneratedWindow() throws {
    let run = try EvalRun(network: EvalRun.decoder + ["--signal_head", "--signal_head_num_steps", "2"])
    defer { run.remove() }
    let json = try run.evaluate("forecasting", ["--seeds", "0", "--max_samples", "2", "--figures", "0"])
    let results = try aggregates(json)
    #expect(Set(results.keys) == ["mse", "mae", "mase", "pearson_r", "snr_db"])
    let mse = try #require(results["mse"]?["mean"] as? Double)
    #expect(mse.isFinite && mse > 0)
    #expect(json.contains("\"mase\": {\n    \"mean\": NaN"), "no context: the whole window is scored (E12)")
  }

  @Test func leadConditionedDiTReportsItsSevenLeadsAndHonoursTheGuidanceScale() throws {
    let run = try EvalRun(network: EvalRun.dit + ["--condition", "lead", "--condition_lead", "6"])
    defer { run.remove() }
    let reconstruction = try aggregates(try run.evaluate("reconstruction", ["--seeds", "0", "--figures", "1"]))
    #expect(reconstruction.count == 5 * 4 * 8)
    #expect(reconstruction["ssim/t=0.5/V2"] != nil && reconstruction["ssim/t=0.5/V1"] == nil)
    let common = ["--seeds", "0", "--sample_steps", "2", "--figures", "1"]
    let plain = try aggregates(try run.evaluate("generation", common))
    let guided = try aggregates(try run.evaluate("generation", common + ["--cfg_scale", "3"], again: true))
    let fid = try #require(plain["fid"]?["mean"] as? Double)
    let guidedFID = try #require(guided["fid"]?["mean"] as? Double)
    #expect(fid != guidedFID, "--cfg_scale changes the samples (the reference ignores it, E10)")
    // The figure shows the stitched 12-lead ECG: aVF is derived, so it is drawn.
    let svg = try String(contentsOf: run.run.appendingPathComponent("figures/generation_0.svg"), encoding: .utf8)
    #expect(svg.components(separatedBy: ">aVF<").count == 3, "real and generated, both with 12 leads")
  }

  @Test func textConditionedDiTGeneratesFromEachWindowsReport() throws {
    let text = TextModelFolder.defaultURL.path
    let run = try EvalRun(network: EvalRun.dit + ["--condition", "text", "--text_feature_extractor", text])
    defer { run.remove() }
    let common = ["--seeds", "0", "--sample_steps", "2", "--figures", "1", "--max_samples", "4"]
    let plain = try aggregates(try run.evaluate("generation", common))
    let guided = try aggregates(try run.evaluate("generation", common + ["--cfg_scale", "4"], again: true))
    let mmd = try #require(plain["mmd"]?["mean"] as? Double)
    let guidedMMD = try #require(guided["mmd"]?["mean"] as? Double)
    #expect(mmd.isFinite && mmd != guidedMMD)
    let svg = try String(contentsOf: run.run.appendingPathComponent("figures/generation_0.svg"), encoding: .utf8)
    #expect(svg.contains("real: ") && svg.contains("rate "), "the figure is titled with the window's report")
  }

  @Test func ddpmReconstructsAtTheReferencesNoiseLevels() throws {
    let dit = ["--neural_network", "trans_continuous_dit", "--objective", "ddpm", "--max_seq_len", "250"]
    let run = try EvalRun(network: dit)
    defer { run.remove() }
    let results = try aggregates(try run.evaluate("reconstruction", ["--seeds", "0", "--max_samples", "3"]))
    #expect(results.count == 5 * 4 * 13)
    // An untrained DDPM's x̂0 = (x_t − √(1 − ᾱ)·ε̂)/√ᾱ grows without bound as ᾱ → 0; at t = 0.1 it is finite.
    let psnr = try #require(results["psnr/t=0.1/global"]?["mean"] as? Double)
    #expect(psnr.isFinite)
    #expect(
      EvalRun.message(["--task", "generation", "--nn_ckpt", run.run.path, "--device", "cpu", "--sample_steps", "5"])
        .hasPrefix("--sample_steps 5: a DDPM network samples with its schedule's steps"))
  }

  @Test func batchedEvaluationGivesTheNumbersOfBatchSizeOne() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    for task in ["generation", "reconstruction"] {
      let common = ["--seeds", "3", "--sample_steps", "2", "--figures", "0"]
      let one = try aggregates(try run.evaluate(task, common + ["--eval_batch_size", "1"]))
      let batched = try aggregates(try run.evaluate(task, common + ["--eval_batch_size", "4"], again: true))
      #expect(one.keys.sorted() == batched.keys.sorted())
      for (key, value) in one {
        let a = try #require(value["mean"] as? Double)
        let b = try #require(batched[key]?["mean"] as? Double)
        #expect(abs(a - b) <= 1e-4 * max(1, abs(a)), "\(task) \(key): batch 1 \(a), batch 4 \(b)")
      }
    }
  }

  @Test func theLeakageFreeSplitIsTheStoreTestSplitAndTheReferenceSplitIsSeeded() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    var settings = run.settings
    settings.data = [run.store]
    let store = try DatasetStore(path: run.store)
    let options = try EvalOptions.parse([])
    var context = EvalContext(
      settings: settings, checkpoint: run.run.path, options: options, split: .test, device: .cpu,
      outputFolder: run.folder)
    let test = try context.windows(seed: 0)
    #expect(test.order.count == store.indices(in: .test).count)
    #expect(try context.windows(seed: 4).order == test.order, "the patient split does not depend on the seed")
    context.split = .referenceFiles
    let reference = try context.windows(seed: 0)
    #expect(reference.order == EvaluationWindows.referenceTestOrder(count: store.count, seed: 0))
    #expect(reference.order.count == store.count - Int(0.7 * Double(store.count)))
    #expect(try context.windows(seed: 1).order != reference.order)
  }

  @Test func badCheckpointsAndFlagsAreRejectedWithWhatToDo() throws {
    let run = try EvalRun(network: EvalRun.dit)
    defer { run.remove() }
    let base = ["--nn_ckpt", run.run.path, "--device", "cpu"]
    #expect(EvalRun.message(base).hasPrefix("--task is required: generation, reconstruction"))
    #expect(EvalRun.message(base + ["--task", "pretrain"]).hasPrefix("unknown --task 'pretrain'"))
    #expect(EvalRun.message(["--task", "generation"]).hasPrefix("--nn_ckpt is required"))
    #expect(EvalRun.message(base + ["--task", "generation", "--split", "all"]).hasPrefix("unknown --split 'all'"))
    #expect(
      EvalRun.message(base + ["--task", "generation", "--eval_batch_size", "0"]).hasPrefix(
        "--eval_batch_size must be at least 1"))
    #expect(
      EvalRun.message(base + ["--task", "generation", "--seeds", "0,-1"]).hasPrefix(
        "--seeds takes whole numbers 0 or more, got -1"))
    // A repeated seed draws the same windows and noise: counted twice, it shrank the std.
    for seeds in [["0", "0"], ["0,1,0"]] {
      #expect(
        EvalRun.message(base + ["--task", "generation", "--seeds"] + seeds)
          == "--seeds repeats seed 0; give each seed once (a repeat counts one run twice)", "\(seeds)")
    }
    for seeds in [["0,2"], ["0", "2"], ["0,", "2"]] {
      let parsed = try? EvalCommand.parse(base + ["--task", "generation", "--seeds"] + seeds)
      #expect(parsed?.evalOptions.seeds == (seeds == ["0,", "2"] ? nil : [0, 2]), "\(seeds)")
    }

    // A bare weights file: the network comes from the flags, the results need --out.
    let weights = run.folder.appendingPathComponent("weights.safetensors")
    try FileManager.default.copyItem(
      at: run.run.appendingPathComponent("checkpoints/best/model.safetensors"), to: weights)
    let file = ["--task", "generation", "--nn_ckpt", weights.path, "--device", "cpu", "--data", run.store]
    #expect(
      EvalRun.message(file).hasPrefix("a single checkpoint file's network comes from the flags: pass --neural_network"))
    let flags = ["--preset", "tiny", "--segment_len", "250"] + EvalRun.dit
    #expect(EvalRun.message(file + flags).contains("pass --out DIR"))
    let wider = EvalRun.message(file + flags + ["--d_model", "32", "--out", run.folder.path])
    #expect(wider.contains("does not fit a trans_continuous_dit of these settings"))
    #expect(wider.contains("of other shapes"))
    #expect(
      EvalRun.message(file + flags + ["--out", run.folder.path, "--seeds", "0", "--sample_steps", "1"]) == "accepted")

    let nepa = try EvalRun(network: ["--neural_network", "trans_continuous_nepa"], name: "eval-nepa")
    defer { nepa.remove() }
    #expect(
      EvalRun.message(["--task", "reconstruction", "--nn_ckpt", nepa.run.path, "--device", "cpu"]).hasPrefix(
        "--task reconstruction evaluates trans_continuous_dit checkpoints"))
    // A DiT's weights evaluated as another network's fail on the keys, not deep inside a forward pass (into a
    // folder of its own: the accepted run above left its generation results in run.folder).
    let nepaWeights = EvalRun.message(
      [
        "--task", "generation", "--nn_ckpt", weights.path, "--device", "cpu", "--data", run.store, "--out",
        run.folder.appendingPathComponent("nepa").path, "--neural_network", "trans_continuous_nepa", "--preset",
        "tiny", "--segment_len", "250",
      ])
    #expect(nepaWeights.contains("evaluates trans_continuous_dit") || nepaWeights.contains("does not fit"))
  }
}
