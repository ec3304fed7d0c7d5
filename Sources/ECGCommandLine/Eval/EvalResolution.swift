import ArgumentParser
import ECGEvaluation
import ECGTraining
import Foundation
import Torch

extension EvalCommand {
  /// The checkpoint, settings, device and output folder, checked together; each rejection says what to do.
  func resolvedContext() throws -> EvalContext {
    guard let given = modelOptions.nnCkpt else {
      throw ValidationError(
        "--nn_ckpt is required: a run folder of `ecg pretrain`, one of its checkpoint folders, a .safetensors file "
          + "or a reference .pt checkpoint")
    }
    guard FileManager.default.fileExists(atPath: given) else {
      throw ValidationError("--nn_ckpt \(given) does not exist")
    }
    guard let task = dataOptions.task else {
      throw ValidationError(
        "--task is required: \(EvalTaskKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard EvalTaskKind(rawValue: task) != nil else {
      throw ValidationError(
        "unknown --task '\(task)'; use \(EvalTaskKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard let split = EvaluationSplit(rawValue: evalOptions.split) else {
      throw ValidationError("unknown --split '\(evalOptions.split)'; use test or reference-files")
    }
    guard !evalOptions.seeds.isEmpty else { throw ValidationError("--seeds needs at least one seed") }
    guard evalOptions.evalBatchSize >= 1 else { throw ValidationError("--eval_batch_size must be at least 1") }
    if let count = evalOptions.maxSamples, count < 1 { throw ValidationError("--max_samples must be at least 1") }
    if task == "classification" {
      // Classification uses the label set's own splits (MERL's, or the store's by patient) and every record.
      if evalOptions.maxSamples != nil {
        throw ValidationError("--max_samples does not apply to --task classification, which uses every record")
      }
      if evalOptions.split != EvaluationSplit.test.rawValue {
        throw ValidationError(
          "--split \(evalOptions.split) does not apply to --task classification, which uses the label set's splits")
      }
    }
    if let steps = evalOptions.sampleSteps, steps < 1 { throw ValidationError("--sample_steps must be at least 1") }
    if let threads = evalOptions.threads, let problem = ThreadsOption.problem(threads) {
      throw ValidationError(problem)
    }
    guard dataOptions.forecastRatio > 0 && dataOptions.forecastRatio < 1 else {
      throw ValidationError("--forecast_ratio must be in (0, 1), got \(dataOptions.forecastRatio)")
    }
    guard dataOptions.sf > 0 else { throw ValidationError("--sf must be at least 1 Hz, got \(dataOptions.sf)") }
    let deviceName = evalOptions.device ?? (Device.isCUDAAvailable ? "cuda" : "cpu")
    let device = try DeviceOption.resolve(deviceName)

    let (checkpoint, configuration, runFolder) = try Self.locate(given)
    if evalOptions.ema { try Self.checkEMAWeights(checkpoint) }
    var settings: PretrainSettings
    if let configuration {
      settings = try RunFolder.decode(PretrainSettings.self, yaml: configuration)
      try applyRunFlags(to: &settings, run: runFolder?.path ?? checkpoint)
    } else {
      settings = try settingsFromFlags(checkpoint: checkpoint)
    }
    settings.nnCkpt = checkpoint
    settings.ema = evalOptions.ema
    settings.task = task
    settings.mode = "downstream_eval"
    settings.forecastRatio = dataOptions.forecastRatio
    guard dataOptions.cfgScale.isFinite else {
      throw ValidationError("--cfg_scale must be a finite number, got \(dataOptions.cfgScale)")
    }
    settings.cfgScale = dataOptions.cfgScale
    settings.augment = false
    settings.numWorkers = 0
    settings.device = deviceName

    let output: URL
    if let out = evalOptions.out {
      output = URL(fileURLWithPath: out)
    } else if let runFolder {
      output = runFolder
    } else {
      throw ValidationError(
        "\(given) is not inside a run folder, so there is nowhere to write the results: pass --out DIR")
    }
    var context = EvalContext(
      settings: settings, checkpoint: checkpoint, options: evalOptions, split: split, device: device,
      outputFolder: output)
    context.networkFromFlags = configuration == nil
    let kind = EvalTaskKind(rawValue: task)!
    try context.checkOutputs(
      task: kind, labels: classificationOptions.labels, protocolName: classificationOptions.protocolKind.rawValue)
    try context.checkOutputFolderIsWritable(task: kind)
    return context
  }

  /// The checkpoint to load, the run's `config.yaml` when it has one, and the run folder: a run folder gives
  /// its best checkpoint (else its most advanced); a checkpoint folder its run; a file inside `checkpoints/`
  /// the folder above (the reference's run_dir, evaluation.md §1.1) when that folder holds the run's
  /// `config.yaml` (any other folder named `checkpoints` is no run's, and its file needs `--out`).
  static func locate(_ path: String) throws -> (checkpoint: String, configuration: String?, runFolder: URL?) {
    let url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
    guard isFolder.boolValue else {
      let parent = url.deletingLastPathComponent()
      let above = parent.deletingLastPathComponent()
      let isRun =
        parent.lastPathComponent == "checkpoints"
        && FileManager.default.fileExists(atPath: above.appendingPathComponent("config.yaml").path)
      return (path, nil, isRun ? above : nil)
    }
    let folder: CheckpointFolder
    do {
      folder = try CheckpointFolder.resolveWeights(url)
    } catch {
      throw ValidationError("--nn_ckpt \(path): \(error)")
    }
    let parent = folder.url.deletingLastPathComponent()
    let run = parent.lastPathComponent == "checkpoints" ? parent.deletingLastPathComponent() : nil
    return (folder.url.path, folder.configuration(), run)
  }

  /// Settings from the network and data flags, for a checkpoint file or a checkpoint folder without a
  /// `config.yaml` (resolved and checked by the pretraining rules; the training flags keep their defaults).
  private func settingsFromFlags(checkpoint: String) throws -> PretrainSettings {
    guard modelOptions.neuralNetwork != nil else {
      let wanted = "pass --neural_network (and --objective, --preset or the sizes it was trained with)"
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isFolder)
      guard !isFolder.boolValue else {
        throw ValidationError("\(checkpoint) has no config.yaml, so its network comes from the flags: \(wanted)")
      }
      let folder = URL(fileURLWithPath: checkpoint).deletingLastPathComponent()
      let beside = FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.yaml").path)
      throw ValidationError(
        "a single checkpoint file's network comes from the flags: \(wanted)"
          + (beside ? ", or pass its folder \(folder.path) to use the config.yaml there" : ""))
    }
    var pretrain = PretrainCommand()
    pretrain.dataOptions = dataOptions
    pretrain.modelOptions = modelOptions
    pretrain.trainingOptions = try PretrainTrainingOptions.parse([])
    pretrain.runOptions = try PretrainRunOptions.parse(evalOptions.device.map { ["--device", $0] } ?? [])
    return try pretrain.resolvedSettings()
  }
}
