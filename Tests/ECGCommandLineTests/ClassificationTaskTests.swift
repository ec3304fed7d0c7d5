import ArgumentParser
import ECGData
import ECGEvaluation
import ECGTraining
import Foundation
import TestSupport
import Testing
import Torch

@testable import ECGCommandLine

/// `ecg eval --task classification`'s library entry point and command on a freshly initialised tiny NEPA written as
/// a run folder (built without the pretraining loop, whose network factory other suites replace while they run).
@Suite(.serialized) struct ClassificationTaskTests {
  struct Run {
    let folder: URL
    let store: String
    let run: URL
  }

  /// A 40-record synthetic store and a NEPA of width 8 and one layer saved as `runs/pretrain/nepa/0`.
  static let trained: Run = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "classification-cli-\(UUID().uuidString)")
    let store = folder.appendingPathComponent("store").path
    try! DataSynthCommand.parse(["--count", "40", "--out", store, "--quiet", "--threads", "2"]).run()
    let settings = try! PretrainCommand.parse([
      "--data", store, "--neural_network", "trans_continuous_nepa", "--d_model", "8", "--n_heads", "2",
      "--dim_ff", "16", "--num_layers", "1", "--device", "cpu",
    ]).resolvedSettings()
    Torch.manualSeed(7)
    let trainee = try! PretrainNetworks.build(settings)
    let run = folder.appendingPathComponent("runs/pretrain/nepa/0")
    try! CheckpointFolder.write(
      to: run.appendingPathComponent("checkpoints/best"), model: trainee.module.stateDict(), ema: nil,
      optimizer: OptimizerState(), trainer: TrainerState(), configuration: try! RunFolder.yaml(settings))
    return Run(folder: folder, store: store, run: run)
  }()

  static func options(_ arguments: [String]) throws -> ClassificationOptions {
    try ClassificationOptions.parse(arguments)
  }

  @Test func aLinearProbeWritesItsResultsWithTheRandomInitRow() throws {
    let run = Self.trained
    let out = run.folder.appendingPathComponent("eval-linear")
    let results = try ClassificationTask.run(
      options: try Self.options(["--labels", "synthetic", "--label_fraction", "0.5,1", "--probe_epochs", "3"]),
      checkpoint: run.run.path, ema: false, stores: [run.store], device: .cpu, seeds: [0, 1], outputFolder: out)
    #expect(
      results.rows.map(\.encoder) == ["pretrained", "pretrained", "random init (frozen)", "random init (frozen)"])
    #expect(results.rows.map(\.labelFraction) == [0.5, 1, 0.5, 1])
    #expect(results.rows.allSatisfy { $0.runs.count == 2 && $0.runs[0].validationAUROCByEpoch.count == 3 })
    #expect(results.classes == SyntheticFindings.labelSet)
    let file = out.appendingPathComponent("classification_synthetic_linear_store_results.json")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("\"random init (frozen)\"") && text.contains("\"merl_compat_max_test_auroc\""))
    #expect(!text.contains("__ecg_"))
  }

  /// Was an uncaught libtorch shape failure (or ST-MEM's lead precondition) in the first forward pass.
  @Test func aStoreWithoutTwelveLeadsIsRefused() throws {
    let run = Self.trained
    let store = run.folder.appendingPathComponent("store-8-leads")
    try DataSynthCommand.parse(["--count", "12", "--out", store.path, "--quiet", "--threads", "1"]).run()
    // Keep leads I … V2: the manifest's list and the first 8 leads' worth of the shard.
    let manifestURL = store.appendingPathComponent("store.json")
    var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
    manifest["leads"] = (manifest["leads"] as? [String]).map { Array($0.prefix(8)) }
    try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    let shard = store.appendingPathComponent("shards/00000.f32")
    let keptBytes: Int = 12 * 8 * 2500 * 4
    try Data(contentsOf: shard).prefix(keptBytes).write(to: shard)
    let error = #expect(throws: CommandError.self) {
      _ = try ClassificationTask.run(
        options: try Self.options(["--labels", "synthetic", "--label_fraction", "1"]), checkpoint: run.run.path,
        ema: false, stores: [store.path], device: .cpu, seeds: [0], outputFolder: run.folder)
    }
    #expect(error?.description.contains("holds 8 (I II III aVR aVL aVF V1 V2); evaluate a 12-lead store") == true)
  }

  @Test func ecgEvalRunsTheClassificationTask() throws {
    let run = Self.trained
    let out = run.folder.appendingPathComponent("eval-command")
    try EvalCommand.parse([
      "--task", "classification", "--nn_ckpt", run.run.path, "--data", run.store, "--labels", "synthetic",
      "--label_fraction", "1", "--probe_epochs", "2", "--seeds", "0", "--out", out.path, "--device", "cpu",
    ]).run()
    let file = out.appendingPathComponent("classification_synthetic_linear_store_results.json")
    // Bare NaN (a class with one label value in a small split) is Python's JSON, not JSONSerialization's.
    let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "NaN", with: "null")
    let results = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    let rows = results?["rows"] as? [[String: Any]]
    #expect(rows?.compactMap { $0["encoder"] as? String } == ["pretrained", "random init (frozen)"])
    #expect(results?["protocol"] as? String == "linear")
    // Flags of the other tasks that classification would silently not honour.
    let common = ["--task", "classification", "--nn_ckpt", run.run.path, "--labels", "synthetic", "--device", "cpu"]
    for (extra, said) in [
      (["--max_samples", "3"], "--max_samples does not apply"), (["--split", "reference-files"], "does not apply"),
    ] {
      let text = EvalRun.message(common + extra)
      #expect(text.contains(said), "\(text)")
    }
  }

  @Test func eachProtocolHasItsOwnResultsFile() {
    let folder = URL(fileURLWithPath: "/runs/0")
    let names = ClassificationProtocol.allCases.map {
      ClassificationTask.resultsFile(labels: .ptbxlSuper, protocolName: $0.rawValue, data: "ptbxl", in: folder)
        .lastPathComponent
    }
    #expect(names[0] == "classification_ptbxl_super_linear_ptbxl_results.json")
    #expect(Set(names).count == ClassificationProtocol.allCases.count)
  }

  @Test func aStoreMissingPartOfMERLsSplitIsSaidSo() {
    #expect(ClassificationTask.missingRecordsNote(missing: 0, evaluated: (40, 12, 16)) == nil)
    let note = ClassificationTask.missingRecordsNote(missing: 6809, evaluated: (40, 12, 16))
    #expect(note?.hasPrefix("6809 of the 6877 records of MERL's split files are not in the store") == true)
    #expect(note?.contains("test 16") == true)
  }

  @Test func labelFractionsTakeCommasOrSpaces() throws {
    #expect(try ClassificationOptions.parse(["--label_fraction", "0.01,0.1,1"]).fractions == [0.01, 0.1, 1])
    #expect(try ClassificationOptions.parse(["--label_fraction", "0.01", "0.1", "1"]).fractions == [0.01, 0.1, 1])
    #expect(try ClassificationOptions.parse(["--label_fraction", "0.01,0.1", "1"]).fractions == [0.01, 0.1, 1])
    #expect(try ClassificationOptions.parse([]).fractions == [0.01, 0.1, 1])
    for bad in [["0.1,,1"], ["0.1", "x"], ["0"], ["1.5"]] {
      #expect(throws: (any Error).self, "\(bad)") { try ClassificationOptions.parse(["--label_fraction"] + bad) }
    }
  }

  @Test func windowsOfAnotherLengthThanTheNetworksAreSaidToBePaddedOrCut() {
    #expect(ClassificationTask.windowLengthNote(stored: 2500, network: 2500, samplingRate: 250) == nil)
    let padded = ClassificationTask.windowLengthNote(stored: 1250, network: 2500, samplingRate: 250)
    #expect(padded?.hasPrefix("the store's windows hold 1250 samples (5 s), the network reads 2500 (10 s)") == true)
    #expect(padded?.contains("zero-padded at the end to 2500 samples") == true)
    let cut = ClassificationTask.windowLengthNote(stored: 5000, network: 2500, samplingRate: 500)
    #expect(cut?.contains("cut to its first 2500 samples") == true)
  }

  @Test func theResultJSONWritesNaNAsTheReference() throws {
    var results = ClassificationResults(
      labels: .synthetic, data: "d", protocolName: "linear", classes: ["A"], splitRecords: [:], droppedRecords: 0,
      missingRecords: 0, seeds: [0], rows: [], zeroShot: nil, notes: [])
    results.zeroShot = ZeroShotResult(
      test: ClassificationScores(scores: [[0.5], [0.2]], labels: [[true], [true]]), merlCompatF1Max: .infinity,
      prompts: ["p"], testROC: [], merlPublished: nil)
    let text = try ClassificationTask.resultJSON(results)
    #expect(text.contains("\"auroc_macro\" : NaN") && text.contains(": Infinity"))
    // Zero-shot's console lines: no empty probe table, MERL's number beside ours.
    let published = try #require(MERLPublishedNumbers.merl(.ptbxlSuper, fraction: nil))
    results.zeroShot?.merlPublished = published
    let lines = ClassificationTask.table(results)
    #expect(lines.count == 1 && lines[0].hasPrefix("zero-shot (one deterministic run): AUROC"))
    let said = String(format: "MERL published AUROC %.2f %% (%@)", published.auroc, published.source)
    #expect(lines[0].hasSuffix(said), "\(lines)")
  }

  /// Zero-shot is one deterministic run: its JSON listed the seeds, and its report showed them with the probe's
  /// heading and an empty per-seed table.
  @Test func zeroShotResultsShowNoSeedsNorTheProbesTable() throws {
    var results = ClassificationResults(
      labels: .cpsc2018, data: "d", protocolName: "zeroshot", classes: ["A"], splitRecords: [:], droppedRecords: 0,
      missingRecords: 0, seeds: [], rows: [], zeroShot: nil, notes: [])
    results.zeroShot = ZeroShotResult(
      test: ClassificationScores(scores: [[0.5], [0.2]], labels: [[true], [false]]), merlCompatF1Max: 1,
      prompts: ["p"], testROC: [], merlPublished: nil)
    let json = try ClassificationTask.resultJSON(results)
    #expect(!json.contains("\"seeds\""), "\(json)")
    let decoded = try JSONDecoder().decode(ClassificationResults.self, from: Data(json.utf8))
    #expect(decoded == results)
    let html = HTMLReportRenderer().render(EvaluationReport(classification: results))
    #expect(html.contains("zero-shot, one deterministic run."))
    #expect(html.contains("Zero-shot on the test split"))
    for probe in ["seeds", "Macro scores on the test split", "best validation macro AUROC"] {
      #expect(!html.contains(probe), "\(probe)")
    }
    // The trained protocols keep their seeds, text and table.
    results.zeroShot = nil
    results.seeds = [0, 1]
    #expect(try ClassificationTask.resultJSON(results).contains("\"seeds\" : [\n    0,\n    1\n  ]"))
    let probe = HTMLReportRenderer().render(EvaluationReport(classification: results))
    #expect(probe.contains("; seeds 0, 1. ") && probe.contains("Macro scores on the test split"))
  }

  /// A checkpoint file's network comes from the flags, and was said to be its config.yaml's.
  @Test func aCheckpointThatDoesNotFitTheFlagsNetworkSaysSo() throws {
    let run = Self.trained
    let settings = try PretrainCommand.parse([
      "--data", run.store, "--neural_network", "trans_continuous_nepa", "--d_model", "12", "--n_heads", "2",
      "--dim_ff", "16", "--num_layers", "1", "--device", "cpu",
    ]).resolvedSettings()
    let weights = run.run.appendingPathComponent("checkpoints/best/model.safetensors").path
    let encoder = try CheckpointEncoder(settings: settings, checkpoint: weights, ema: false, fromFlags: true)
    let error = #expect(throws: CommandError.self) { _ = try encoder.pretrained() }
    let message = error.map { "\($0)" } ?? ""
    #expect(message.contains("does not fit the trans_continuous_nepa of these flags ("), "\(message)")
    #expect(
      message.hasSuffix(
        "; pass the --neural_network, --objective, --preset and size flags it was trained with, or "
          + "evaluate the run folder it came from"), "\(message)")
    #expect(!message.contains("config.yaml"), "\(message)")
  }

  @Test func aCheckpointThatDoesNotFitItsConfigurationIsRejected() throws {
    let run = Self.trained
    let copy = run.folder.appendingPathComponent("mismatched-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: run.run, to: copy)
    for folder in [copy, copy.appendingPathComponent("checkpoints/best")] {
      let yaml = folder.appendingPathComponent("config.yaml")
      guard let text = try? String(contentsOf: yaml, encoding: .utf8) else { continue }
      try text.replacingOccurrences(of: "d_model: 8\n", with: "d_model: 12\n").write(
        to: yaml, atomically: true, encoding: .utf8)
    }
    let error = #expect(throws: CommandError.self) {
      _ = try ClassificationTask.run(
        options: try Self.options(["--labels", "synthetic", "--probe_epochs", "1", "--label_fraction", "1"]),
        checkpoint: copy.path,
        ema: false, stores: [run.store], device: .cpu, seeds: [0], outputFolder: run.folder)
    }
    #expect(error?.description.contains("does not fit") == true, "\(String(describing: error))")
  }

  @Test func aLabelSetOfAnotherStoreIsRejectedWithWhatToDo() throws {
    let run = Self.trained
    let labels = SharedFixtures.dataDirectory.appendingPathComponent("labels").path
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationTask.run(
        options: try Self.options(["--labels", "cpsc2018", "--labels_dir", labels]), checkpoint: run.run.path,
        ema: false, stores: [run.store], device: .cpu, seeds: [0], outputFolder: run.folder)
    }
    #expect(
      error?.message.contains("pick the label set of this store (synthetic) or pass the matching store") == true,
      "\(String(describing: error))")
    #expect(throws: CommandError.self) {
      _ = try ClassificationTask.run(
        options: try Self.options([]), checkpoint: run.run.path, ema: false, stores: [run.store], device: .cpu,
        seeds: [0], outputFolder: run.folder)
    }
  }

  /// The suggestion used to be `--label_fraction 0.1 1.0`, which the parser refuses ("Unexpected argument").
  @Test func theSuggestedLabelFractionsParseAndWork() throws {
    let run = Self.trained
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationTask.run(
        options: try Self.options(["--labels", "synthetic", "--label_fraction", "0.01,0.5,1"]),
        checkpoint: run.run.path, ema: false, stores: [run.store], device: .cpu, seeds: [0], outputFolder: run.folder)
    }
    let message = try #require(error?.message)
    let suggestion = try #require(message.firstMatch(of: /e\.g\. (--label_fraction \S+), or/)?.output.1)
    let arguments = suggestion.split(separator: " ").map(String.init)
    #expect(arguments == ["--label_fraction", "0.5,1"], "\(message)")
    #expect(try Self.options(["--labels", "synthetic"] + arguments).fractions == [0.5, 1])
  }

  @Test func badFlagsAreRejected() {
    #expect(throws: (any Error).self) { _ = try Self.options(["--label_fraction", "0,1"]) }
    #expect(throws: (any Error).self) { _ = try Self.options(["--label_fraction", "0.1,2"]) }
    #expect(throws: (any Error).self) { _ = try Self.options(["--protocol", "zeroshot", "--labels", "synthetic"]) }
    #expect(throws: (any Error).self) { _ = try Self.options(["--cpsc_window", "all"]) }
    #expect(
      (try? Self.options(["--protocol", "finetune", "--label-fraction", "0.01,0.1,1"]))?.fractions == [0.01, 0.1, 1])
  }
}
