import Foundation
import TestSupport
import Testing
import Torch

@testable import ECGTraining

@Suite struct CheckpointFolderTests {
  private func write(_ name: String, step: Int, in folder: URL) throws {
    var state = TrainerState()
    state.step = step
    try CheckpointFolder.write(
      to: folder.appendingPathComponent(name), model: StateDict([("w", Tensor([Float(step)], shape: [1]))]),
      ema: nil, optimizer: OptimizerState(scalars: ["wrapper_step": Double(step)]), trainer: state,
      configuration: "seed: 0\n")
  }

  @Test func halfWrittenAndHiddenCheckpointsAreIgnored() throws {
    let run = try SharedFixtures.temporaryDirectory(prefix: "ckpt")
    defer { try? FileManager.default.removeItem(at: run) }
    let checkpoints = run.appendingPathComponent("checkpoints")
    try write("step_0_3", step: 3, in: checkpoints)
    // A crash while writing leaves a hidden temporary (even a complete-looking one) ...
    try write(".tmp-step_0_9-123-456", step: 9, in: checkpoints)
    // ... and a folder someone copied without trainer.json is not complete either.
    let partial = checkpoints.appendingPathComponent("step_0_12")
    try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
    try StateDict([("w", Tensor([Float(12)], shape: [1]))]).save(
      safetensorsTo: partial.appendingPathComponent("model.safetensors"))
    // A truncated trainer.json is skipped as well.
    let broken = checkpoints.appendingPathComponent("step_0_15")
    try FileManager.default.createDirectory(at: broken, withIntermediateDirectories: true)
    try Data("{\"step\": 15,".utf8).write(to: broken.appendingPathComponent("trainer.json"))
    try Data().write(to: broken.appendingPathComponent("model.safetensors"))

    let latest = try CheckpointFolder.resolve(run)
    #expect(latest.url.lastPathComponent == "step_0_3")
    #expect(try latest.modelState()["w"]!.floats() == [3])
    #expect(latest.configuration() == "seed: 0\n")
  }

  /// Evaluation, sampling, export and `--nn_ckpt` take a run's best weights; `--resume` its most advanced state.
  @Test func weightsComeFromBestWhileResumeTakesTheMostAdvanced() throws {
    let run = try SharedFixtures.temporaryDirectory(prefix: "ckpt-weights")
    defer { try? FileManager.default.removeItem(at: run) }
    let checkpoints = run.appendingPathComponent("checkpoints")
    try write("epoch_0", step: 4, in: checkpoints)
    #expect(try CheckpointFolder.resolveWeights(run).url.lastPathComponent == "epoch_0")
    try write("best", step: 4, in: checkpoints)
    try write("epoch_1", step: 8, in: checkpoints)
    #expect(try CheckpointFolder.resolveWeights(run).url.lastPathComponent == "best")
    #expect(try CheckpointFolder.resolve(run).url.lastPathComponent == "epoch_1")
    let named = checkpoints.appendingPathComponent("epoch_1")
    #expect(try CheckpointFolder.resolveWeights(named).url == named)
    // A best folder without its trainer.json (copied half) is passed over.
    try FileManager.default.removeItem(at: checkpoints.appendingPathComponent("best/trainer.json"))
    #expect(try CheckpointFolder.resolveWeights(run).url.lastPathComponent == "epoch_1")
  }

  @Test func rewritingACheckpointReplacesItWhole() throws {
    let folder = try SharedFixtures.temporaryDirectory(prefix: "ckpt-best")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("best", step: 1, in: folder)
    try write("best", step: 2, in: folder)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(names == ["best"])
    #expect(try CheckpointFolder(at: folder.appendingPathComponent("best")).trainerState().step == 2)
  }

  /// `ecg checkpoint convert` writes the reference's `epoch` and `step` only; they read as the checkpoint's.
  @Test func aConvertedTrainerFileReadsWithDefaults() throws {
    let state = try JSONDecoder().decode(TrainerState.self, from: Data(#"{"epoch": 3, "step": -1}"#.utf8))
    #expect(state.checkpointEpoch == 3 && state.checkpointStep == -1 && state.step == 0 && state.batchInEpoch == 0)
    var ours = TrainerState(seed: 4)
    (ours.epoch, ours.step, ours.checkpointEpoch, ours.batchInEpoch) = (2, 17, 1, 5)
    #expect(try JSONDecoder().decode(TrainerState.self, from: JSONEncoder().encode(ours)) == ours)
  }

  @Test func resumeNamesWhatIsMissing() throws {
    let empty = try SharedFixtures.temporaryDirectory(prefix: "ckpt-empty")
    defer { try? FileManager.default.removeItem(at: empty) }
    #expect(throws: TrainingError.self) { try CheckpointFolder.resolve(empty) }
    try FileManager.default.createDirectory(
      at: empty.appendingPathComponent("checkpoints"), withIntermediateDirectories: true)
    do {
      _ = try CheckpointFolder.resolve(empty)
      Issue.record("an empty checkpoints folder resolved")
    } catch {
      #expect("\(error)".contains("holds no complete checkpoint yet"))
      // The same words serve ecg eval and ecg sample, which resume nothing.
      #expect(!"\(error)".contains("resume"))
    }
  }

  /// A damaged optimizer state or config.yaml names its file and what to do, not Foundation's "data isn't in the
  /// correct format".
  @Test func damagedStateFilesAreNamed() throws {
    let folder = try SharedFixtures.temporaryDirectory(prefix: "ckpt-damaged")
    defer { try? FileManager.default.removeItem(at: folder) }
    try write("last", step: 1, in: folder)
    let checkpoint = try CheckpointFolder(at: folder.appendingPathComponent("last"))
    try Data("garbage{".utf8).write(to: checkpoint.url.appendingPathComponent("optimizer.json"))
    let optimizer = #expect(throws: TrainingError.self) { try checkpoint.optimizerState() }
    let optimizerFile = "\(checkpoint.url.path)/optimizer.json or .safetensors"
    #expect("\(optimizer!)".contains("\(optimizerFile) is unreadable (not valid JSON"), "\(optimizer!)")
    // Export reads it too: no "cannot resume", no Foundation dump for a missing file.
    try FileManager.default.removeItem(at: checkpoint.url.appendingPathComponent("optimizer.json"))
    let gone = "\(#expect(throws: TrainingError.self) { try checkpoint.optimizerState() }!)"
    #expect(gone.contains("is unreadable (the file is missing); use another checkpoint"), "\(gone)")
    #expect(!gone.contains("resume") && !gone.contains("NSCocoaErrorDomain"), "\(gone)")

    struct Settings: Decodable { var seed: Int }
    let configuration = #expect(throws: TrainingError.self) {
      try RunFolder.decode(Settings.self, yaml: "seed: [unclosed\n", from: checkpoint.url)
    }
    let text = "\(configuration!)"
    #expect(text.contains("\(checkpoint.url.path)/config.yaml is not a readable run configuration (The given data"))
    #expect(!text.contains("\n"), "one line: \(text)")
    let missing = #expect(throws: TrainingError.self) { try RunFolder.decode(Settings.self, yaml: "lr: 1\n") }
    #expect("\(missing!)".contains("the run's config.yaml is not a readable run configuration (no seed)"))
  }

  @Test func runFoldersTakeTheNextFreeInteger() throws {
    let base = try SharedFixtures.temporaryDirectory(prefix: "runs")
    defer { try? FileManager.default.removeItem(at: base) }
    #expect(try RunFolder.create(base: base).url.lastPathComponent == "0")
    try FileManager.default.createDirectory(at: base.appendingPathComponent("7"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: base.appendingPathComponent("x9"), withIntermediateDirectories: true)
    #expect(try RunFolder.create(base: base).url.lastPathComponent == "8")
  }

  @Test func configurationYAMLIsSortedBlockStyle() throws {
    struct Settings: Encodable {
      var lr = 0.0003
      var batch_size = 4
      var data = ["synthetic"]
      var eps = 1e-8
      var probs = [0.5, 1.0]
    }
    let yaml = try RunFolder.yaml(Settings())
    #expect(yaml == "batch_size: 4\ndata:\n- synthetic\neps: 1.0e-08\nlr: 0.0003\nprobs:\n- 0.5\n- 1.0\n")
    struct Back: Decodable, Equatable {
      var lr: Double
      var eps: Double
      var probs: [Double]
    }
    #expect(try RunFolder.decode(Back.self, yaml: yaml) == Back(lr: 0.0003, eps: 1e-8, probs: [0.5, 1.0]))
  }

  /// The reference's config.yaml names every argument, unset ones as null; ours left them out.
  @Test func unsetSettingsAreWrittenAsNull() throws {
    struct Settings: Codable, Equatable {
      var lr = 0.0003
      var data = ["a", "b"]
      var condition: String? = nil
      var ref_global_bs: Int? = nil
      var max_steps: Int? = 7
    }
    let yaml = try RunFolder.yaml(Settings(), keys: ["lr", "data", "condition", "ref_global_bs", "max_steps"])
    #expect(yaml == "condition: null\ndata:\n- a\n- b\nlr: 0.0003\nmax_steps: 7\nref_global_bs: null\n")
    #expect(try RunFolder.decode(Settings.self, yaml: yaml) == Settings())
  }
}
