import ECGCore
import Foundation
import TensorFormats
import Torch

/// One checkpoint: a folder with `model.safetensors`, `ema.safetensors` (with `--ema`), `optimizer.safetensors`
/// + `optimizer.json`, `trainer.json` and the run's `config.yaml` (DESIGN.md §5).
///
/// It is written under a hidden temporary name in the same parent and renamed into place, with `trainer.json`
/// written last, so a crash never leaves a folder that looks complete: readers skip hidden names and folders
/// without a readable `trainer.json`.
public struct CheckpointFolder: Sendable {
  public let url: URL

  public static let modelFile = "model.safetensors"
  public static let emaFile = "ema.safetensors"
  public static let optimizerBase = "optimizer"
  public static let trainerFile = "trainer.json"
  public static let configFile = "config.yaml"

  /// Opens a complete checkpoint folder; throws when it is not one.
  public init(at url: URL) throws {
    self.url = url
    let manager = FileManager.default
    for file in [Self.trainerFile, Self.modelFile]
    where !manager.fileExists(atPath: url.appendingPathComponent(file).path) {
      throw TrainingError.notACheckpoint(
        "\(url.path) is not a complete checkpoint (it has no \(file)); pass a run folder or a checkpoint folder")
    }
  }

  /// The loop state in `trainer.json`.
  public func trainerState() throws -> TrainerState {
    let data = try Data(contentsOf: url.appendingPathComponent(Self.trainerFile))
    do {
      return try JSONDecoder().decode(TrainerState.self, from: data)
    } catch {
      throw TrainingError.notACheckpoint(
        "\(url.appendingPathComponent(Self.trainerFile).path) is unreadable (\(DecodingFailure.reason(error))); use "
          + "another checkpoint of the run (best, last, epoch_N)")
    }
  }

  /// The model's state dict in the module's order.
  public func modelState() throws -> StateDict {
    try Self.readOrdered(url.appendingPathComponent(Self.modelFile))
  }

  /// The EMA shadows in the module's order, nil when the run kept none.
  public func emaState() throws -> StateDict? {
    let file = url.appendingPathComponent(Self.emaFile)
    return FileManager.default.fileExists(atPath: file.path) ? try Self.readOrdered(file) : nil
  }

  /// safetensors files keep no order, so the state dict's order travels in the metadata entry `order`
  /// (a JSON list of names); files without it come back in file order.
  static let orderKey = SafeTensorsMetadata.stateDictOrderKey

  static func writeOrdered(_ state: StateDict, to file: URL) throws {
    let order = String(decoding: try JSONEncoder().encode(state.names), as: UTF8.self)
    try state.save(safetensorsTo: file, metadata: [orderKey: order])
  }

  static func readOrdered(_ file: URL) throws -> StateDict {
    let state = try StateDict(safetensorsAt: file)
    let metadata = try SafeTensorsFile(contentsOf: file).metadata
    guard let text = metadata[orderKey], let order = try? JSONDecoder().decode([String].self, from: Data(text.utf8)),
      Set(order) == Set(state.names), order.count == state.count
    else { return state }
    return StateDict(order.map { ($0, state[$0]!) })
  }

  public func optimizerState() throws -> OptimizerState {
    let base = url.appendingPathComponent(Self.optimizerBase)
    if ConvertedCheckpoint.isConverted(self) {
      throw TrainingError.cannotResume(
        "\(url.path) was converted from a reference checkpoint (`ecg checkpoint convert`): it keeps torch.optim's "
          + "state and none of the loop's (position, random generators), so it cannot be resumed; start a run from "
          + "its weights with --nn_ckpt \(url.path)")
    }
    do {
      return try OptimizerState(contentsOf: base)
    } catch let error as TrainingError {
      throw error
    } catch {
      throw TrainingError.notACheckpoint(
        "the optimizer state \(base.path).json or .safetensors is unreadable "
          + "(\(DecodingFailure.reason(error))); use another checkpoint of the run (best, last, epoch_N)")
    }
  }

  /// The run configuration saved with the checkpoint, nil when absent.
  public func configuration() -> String? {
    try? String(contentsOf: url.appendingPathComponent(Self.configFile), encoding: .utf8)
  }

  /// Writes a checkpoint to `url` atomically (replacing one already there, as "best" is).
  @discardableResult
  public static func write(
    to url: URL, model: StateDict, ema: StateDict?, optimizer: OptimizerState, trainer: TrainerState,
    configuration: String?
  ) throws -> CheckpointFolder {
    let manager = FileManager.default
    let parent = url.deletingLastPathComponent()
    try manager.createDirectory(at: parent, withIntermediateDirectories: true)
    let token = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    let temporary = parent.appendingPathComponent(".tmp-\(url.lastPathComponent)-\(token)")
    try manager.createDirectory(at: temporary, withIntermediateDirectories: false)
    do {
      try writeOrdered(model, to: temporary.appendingPathComponent(modelFile))
      if let ema { try writeOrdered(ema, to: temporary.appendingPathComponent(emaFile)) }
      try optimizer.save(to: temporary.appendingPathComponent(optimizerBase))
      if let configuration {
        try Data(configuration.utf8).write(to: temporary.appendingPathComponent(configFile))
      }
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try encoder.encode(trainer).write(to: temporary.appendingPathComponent(trainerFile))
      if manager.fileExists(atPath: url.path) {
        // Swap: the old folder leaves under a hidden name first, so a crash never loses both.
        let old = parent.appendingPathComponent(".old-\(url.lastPathComponent)-\(token)")
        try manager.moveItem(at: url, to: old)
        try manager.moveItem(at: temporary, to: url)
        try? manager.removeItem(at: old)
      } else {
        try manager.moveItem(at: temporary, to: url)
      }
    } catch {
      try? manager.removeItem(at: temporary)
      throw error
    }
    return try CheckpointFolder(at: url)
  }

  /// The complete checkpoints under `folder` (hidden temporaries and incomplete folders skipped), the most
  /// advanced last (by optimizer step, then by micro-batch position).
  public static func all(in folder: URL) -> [(checkpoint: CheckpointFolder, state: TrainerState)] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let found = names.filter { !$0.hasPrefix(".") }.compactMap { name -> (CheckpointFolder, TrainerState)? in
      guard let checkpoint = try? CheckpointFolder(at: folder.appendingPathComponent(name)),
        let state = try? checkpoint.trainerState()
      else { return nil }
      return (checkpoint, state)
    }
    return found.sorted {
      ($0.1.step, $0.1.epoch, $0.1.batchInEpoch, $0.0.url.lastPathComponent)
        < ($1.1.step, $1.1.epoch, $1.1.batchInEpoch, $1.0.url.lastPathComponent)
    }
  }

  /// The folders under `folder` that `all(in:)` leaves out: unfinished or damaged checkpoints.
  public static func unreadable(in folder: URL) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let readable = Set(all(in: folder).map { $0.checkpoint.url.lastPathComponent })
    return names.filter { !$0.hasPrefix(".") && !readable.contains($0) }.sorted()
  }

  /// What `--resume` names: a checkpoint folder, or a run folder whose most advanced complete checkpoint is
  /// taken.
  public static func resolve(_ url: URL) throws -> CheckpointFolder {
    if FileManager.default.fileExists(atPath: url.appendingPathComponent(trainerFile).path) {
      return try CheckpointFolder(at: url)
    }
    let checkpoints = url.appendingPathComponent("checkpoints")
    guard FileManager.default.fileExists(atPath: checkpoints.path) else {
      throw TrainingError.notACheckpoint(
        "\(url.path) is neither a checkpoint folder (with trainer.json) nor a run folder (with checkpoints/)")
    }
    guard let latest = all(in: checkpoints).last else {
      throw TrainingError.notACheckpoint(
        "\(checkpoints.path) holds no complete checkpoint yet (the run wrote none before it stopped)")
    }
    return latest.checkpoint
  }

  /// The weights a checkpoint or run folder stands for when it is evaluated, sampled, exported or loaded with
  /// `--nn_ckpt`: a run folder gives its `checkpoints/best` (the lowest epoch loss) when that is complete, else its
  /// most advanced checkpoint, as ``resolve(_:)``; a checkpoint folder is itself.
  public static func resolveWeights(_ url: URL) throws -> CheckpointFolder {
    let best = url.appendingPathComponent("checkpoints/best")
    if let folder = try? CheckpointFolder(at: best), (try? folder.trainerState()) != nil { return folder }
    return try resolve(url)
  }
}
