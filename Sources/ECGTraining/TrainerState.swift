import ECGCore
import Foundation
import Torch

/// The loop's position and memory, saved as `trainer.json` in every checkpoint: with the weights, the optimizer
/// and EMA state it is everything an exact resume needs.
public struct TrainerState: Codable, Sendable, Equatable {
  /// The epoch in progress (the next one when a checkpoint is written at an epoch's end).
  public var epoch = 0
  /// Micro-batches of `epoch` already trained on (the loader's position).
  public var batchInEpoch = 0
  /// Optimizer steps taken in the whole run (the schedule's s).
  public var step = 0
  /// Σ loss over the micro-batches of `epoch` so far, and how many.
  public var epochLossSum = 0.0
  public var epochLossCount = 0
  /// Average loss of every finished epoch (early stopping and "best" read it).
  public var epochLosses: [Double] = []
  /// Lowest epoch average so far.
  public var bestLoss: Double? = nil
  /// The run's seed (the loader's streams derive from it, the epoch and the window).
  public var seed: UInt64 = 0
  /// libtorch's default generator states by device ("cpu", "cuda:0"), base64.
  public var randomStates: [String: String] = [:]
  /// Training time so far, seconds (excluding checkpoint writing).
  public var elapsedSeconds = 0.0
  /// The reference's `epoch` / `step` for this checkpoint (`step` −1 for epoch checkpoints; pipeline.md §10.1).
  public var checkpointEpoch = 0
  public var checkpointStep = -1
  /// Why the checkpoint was written: epoch, best, step, interrupt, last.
  public var reason = ""
  /// Each optimizer's hyperparameters and parameter order when the checkpoint was written (for the export to
  /// PyTorch's `optimizer_state_dict`).
  public var optimizerGroups: [OptimizerGroupRecord] = []
  /// What the run trains on, one line per `--data` entry (a store's window count and index checksum), so a resume
  /// on other data is refused; nil in checkpoints written before it was recorded.
  public var dataIdentity: [String]? = nil
  /// Layout version of the checkpoint folder.
  public var formatVersion = 1

  public init(seed: UInt64 = 0) { self.seed = seed }

  enum CodingKeys: String, CodingKey {
    case epoch
    case batchInEpoch = "batch_in_epoch"
    case step
    case epochLossSum = "epoch_loss_sum"
    case epochLossCount = "epoch_loss_count"
    case epochLosses = "epoch_losses"
    case bestLoss = "best_loss"
    case seed
    case randomStates = "random_states"
    case elapsedSeconds = "elapsed_seconds"
    case checkpointEpoch = "checkpoint_epoch"
    case checkpointStep = "checkpoint_step"
    case reason
    case optimizerGroups = "optimizer_groups"
    case dataIdentity = "data_identity"
    case formatVersion = "format_version"
  }

  /// Every field may be missing (older files, and `ecg checkpoint convert`'s trainer.json, which holds only the
  /// reference's `epoch` and `step`: they become the checkpoint's epoch and step, so the export writes them back).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = TrainerState()
    epoch = try c.decodeValue(.epoch, orDefault: defaults.epoch)
    batchInEpoch = try c.decodeValue(.batchInEpoch, orDefault: defaults.batchInEpoch)
    step = try c.decodeValue(.step, orDefault: defaults.step)
    epochLossSum = try c.decodeValue(.epochLossSum, orDefault: defaults.epochLossSum)
    epochLossCount = try c.decodeValue(.epochLossCount, orDefault: defaults.epochLossCount)
    epochLosses = try c.decodeValue(.epochLosses, orDefault: defaults.epochLosses)
    bestLoss = try c.decodeIfPresent(Double.self, forKey: .bestLoss)
    seed = try c.decodeValue(.seed, orDefault: defaults.seed)
    randomStates = try c.decodeValue(.randomStates, orDefault: defaults.randomStates)
    elapsedSeconds = try c.decodeValue(.elapsedSeconds, orDefault: defaults.elapsedSeconds)
    checkpointEpoch = try c.decodeValue(.checkpointEpoch, orDefault: epoch)
    checkpointStep = try c.decodeValue(
      .checkpointStep, orDefault: c.contains(.batchInEpoch) ? defaults.checkpointStep : step)
    reason = try c.decodeValue(.reason, orDefault: defaults.reason)
    optimizerGroups = try c.decodeValue(.optimizerGroups, orDefault: defaults.optimizerGroups)
    dataIdentity = try c.decodeIfPresent([String].self, forKey: .dataIdentity)
    formatVersion = try c.decodeValue(.formatVersion, orDefault: defaults.formatVersion)
    step = Swift.max(step, 0)
  }

  /// Records the default generators' states of the CPU and, when training there, of `device`.
  mutating func captureRandomStates(device: Device) throws {
    var states = ["cpu": try Torch.randomState(device: .cpu).contiguousBytes()]
    if device != .cpu { states[device.description] = try Torch.randomState(device: device).contiguousBytes() }
    randomStates = states.mapValues { Data($0).base64EncodedString() }
  }

  /// Puts the saved generator states back.
  func restoreRandomStates(device: Device) throws {
    for name in ["cpu"] + (device == .cpu ? [] : [device.description]) {
      guard let text = randomStates[name], let bytes = Data(base64Encoded: text) else {
        throw TrainingError.cannotResume("trainer.json holds no random generator state for \(name)")
      }
      let state = try bytes.withUnsafeBytes { try Tensor(bytes: $0, dtype: .uint8, shape: [bytes.count]) }
      try Torch.setRandomState(state, device: Device(parsing: name)!)
    }
  }
}

/// One optimizer of the reference wrapper as PyTorch's `param_groups[0]` describes it.
public struct OptimizerGroupRecord: Codable, Sendable, Equatable {
  /// adam, adamw or muon (the key of its state in `optimizer.safetensors`).
  public var name: String
  /// The learning rate of the last step, as PyTorch leaves it in the group.
  public var learningRate: Double
  public var weightDecay: Double
  public var beta1: Double
  public var beta2: Double
  public var eps: Double
  public var momentum: Double
  public var newtonSchulzSteps: Int
  /// Parameter names in index order (index i of PyTorch's `state`).
  public var parameters: [String]

  public init(
    name: String, learningRate: Double, weightDecay: Double, beta1: Double, beta2: Double, eps: Double,
    momentum: Double, newtonSchulzSteps: Int, parameters: [String]
  ) {
    self.name = name
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.beta1 = beta1
    self.beta2 = beta2
    self.eps = eps
    self.momentum = momentum
    self.newtonSchulzSteps = newtonSchulzSteps
    self.parameters = parameters
  }

  enum CodingKeys: String, CodingKey {
    case name
    case learningRate = "lr"
    case weightDecay = "weight_decay"
    case beta1, beta2, eps, momentum
    case newtonSchulzSteps = "ns_steps"
    case parameters = "params"
  }
}
