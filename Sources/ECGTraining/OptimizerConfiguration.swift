import Torch

/// Which optimizer the reference wrapper builds (`--optimizer`).
public enum OptimizerKind: String, Sendable, CaseIterable, Codable {
  case adam
  case adamw
  case muon
}

/// How weight decay follows the learning-rate scale (`--scale_wd`).
public enum WeightDecayScaling: String, Sendable, CaseIterable, Codable {
  case none
  /// wd / √scale.
  case inverseSqrt = "inv_sqrt"
  /// wd / scale. The reference accepts this value but applies no scaling [BUG]; we apply wd / scale.
  case inverseLinear = "inv_linear"
}

/// The reference's optimizer settings (flags of `pretrain_encoder.py`, pipeline.md §8.3, optimizers.md).
///
/// `Codable` with the reference's flag names as keys, so the run's `config.yaml`, the fixtures' `args` and
/// the command line fill the same struct; keys left out take the reference's defaults.
public struct OptimizerConfiguration: Sendable, Equatable, Codable {
  /// `optimizer`
  public var kind: OptimizerKind = .adamw
  /// `lr`: the learning rate before scaling with the global batch.
  public var learningRate: Double = 1e-4
  /// `weight_decay`
  public var weightDecay: Double = 0.01
  /// `beta1`
  public var beta1: Double = 0.9
  /// `beta2`
  public var beta2: Double = 0.95
  /// `eps`
  public var eps: Double = 1e-8
  /// `muon_momentum`
  public var muonMomentum: Double = 0.95
  /// `muon_nesterov`: the reference's flag is store_true with default true, so it is always on there.
  public var muonNesterov: Bool = true
  /// `muon_ns_steps`: Newton–Schulz iterations.
  public var muonNewtonSchulzSteps: Int = 5
  /// `muon_adamw_lr_ratio`: the AdamW group's share of the peak learning rate in Muon mode.
  public var muonAdamWLearningRateRatio: Double = 0.015
  /// `lr_schedule`
  public var schedule: LearningRateSchedule.Decay = .constant
  /// `warmup`: warm-up steps.
  public var warmupSteps: Int = 2000
  /// `min_lr_ratio`: the cosine's floor.
  public var minLearningRateRatio: Double = 0.1
  /// `ref_global_bs`: global batch the learning rate was tuned for; 0 (or null) means batch size ×
  /// accumulation steps.
  public var referenceGlobalBatchSize: Int = 0
  /// `scale_wd`
  public var weightDecayScaling: WeightDecayScaling = .none
  /// `batch_size`: per-process batch size.
  public var batchSize: Int = 1
  /// `grad_accum_steps`
  public var gradientAccumulationSteps: Int = 1
  /// `world_size`: processes in the run. Not a reference flag (the reference asks the process group); set by
  /// the trainer.
  public var worldSize: Int = 1
  /// `max_steps`: optimizer steps of the whole run (batches per epoch × epochs), for the cosine.
  public var maxSteps: Int = 1
  /// `optimizer_impl`: how Adam/AdamW steps run (single, foreach or fused; not a reference flag); nil means
  /// PyTorch's default for where the parameters are (foreach on CUDA, single-tensor on the CPU).
  public var adamImplementation: Adam.Implementation?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case kind = "optimizer"
    case learningRate = "lr"
    case weightDecay = "weight_decay"
    case beta1, beta2, eps
    case muonMomentum = "muon_momentum"
    case muonNesterov = "muon_nesterov"
    case muonNewtonSchulzSteps = "muon_ns_steps"
    case muonAdamWLearningRateRatio = "muon_adamw_lr_ratio"
    case schedule = "lr_schedule"
    case warmupSteps = "warmup"
    case minLearningRateRatio = "min_lr_ratio"
    case referenceGlobalBatchSize = "ref_global_bs"
    case weightDecayScaling = "scale_wd"
    case batchSize = "batch_size"
    case gradientAccumulationSteps = "grad_accum_steps"
    case worldSize = "world_size"
    case maxSteps = "max_steps"
    case adamImplementation = "optimizer_impl"
  }

  /// Reads the keys present, keeping the defaults for the others (a null `ref_global_bs` means 0).
  public init(from decoder: any Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
      if let decoded = try c.decodeIfPresent(T.self, forKey: key) { value = decoded }
    }
    try read(.kind, into: &kind)
    try read(.learningRate, into: &learningRate)
    try read(.weightDecay, into: &weightDecay)
    try read(.beta1, into: &beta1)
    try read(.beta2, into: &beta2)
    try read(.eps, into: &eps)
    try read(.muonMomentum, into: &muonMomentum)
    try read(.muonNesterov, into: &muonNesterov)
    try read(.muonNewtonSchulzSteps, into: &muonNewtonSchulzSteps)
    try read(.muonAdamWLearningRateRatio, into: &muonAdamWLearningRateRatio)
    try read(.schedule, into: &schedule)
    try read(.warmupSteps, into: &warmupSteps)
    try read(.minLearningRateRatio, into: &minLearningRateRatio)
    try read(.referenceGlobalBatchSize, into: &referenceGlobalBatchSize)
    try read(.weightDecayScaling, into: &weightDecayScaling)
    try read(.batchSize, into: &batchSize)
    try read(.gradientAccumulationSteps, into: &gradientAccumulationSteps)
    try read(.worldSize, into: &worldSize)
    try read(.maxSteps, into: &maxSteps)
    adamImplementation = try c.decodeIfPresent(Adam.Implementation.self, forKey: .adamImplementation)
  }

  /// Throws `ConfigurationError` naming the flag when a value cannot train.
  public func validate() throws {
    func require(_ condition: Bool, _ flag: String, _ what: String) throws {
      if !condition { throw ConfigurationError(flag: flag, message: what) }
    }
    try require(learningRate > 0 && learningRate.isFinite, "--lr", "give a positive learning rate")
    try require(weightDecay >= 0 && weightDecay.isFinite, "--weight_decay", "give a non-negative weight decay")
    try require((0..<1).contains(beta1), "--beta1", "give a value in [0, 1)")
    try require((0..<1).contains(beta2), "--beta2", "give a value in [0, 1)")
    try require(eps > 0, "--eps", "give a positive epsilon")
    try require((0..<1).contains(muonMomentum), "--muon_momentum", "give a value in [0, 1)")
    try require(muonNewtonSchulzSteps >= 1, "--muon_ns_steps", "give at least one Newton–Schulz step")
    try require(
      muonAdamWLearningRateRatio > 0 && muonAdamWLearningRateRatio.isFinite, "--muon_adamw_lr_ratio",
      "give a positive ratio")
    // The optimizers take their step size as a float32 scalar: Adam's first step divides it by 1 − β1, Muon scales
    // it by the matrix shape (the 1e3 margin); a size beyond float32 stops libtorch mid-step instead of diverging.
    let largestRate = peakLearningRate * (kind == .muon ? Swift.max(1, muonAdamWLearningRateRatio) : 1)
    try require(
      largestRate / (1 - Swift.min(beta1, 0.999_999)) * 1e3 < Double(Float.greatestFiniteMagnitude),
      kind == .muon ? "--lr or --muon_adamw_lr_ratio" : "--lr",
      "the peak learning rate \(largestRate) (after the batch scale) does not fit float32; give one below 1 "
        + "(typical: 1e-4 to 1e-3)")
    try require(warmupSteps >= 0, "--warmup", "give a non-negative number of warm-up steps")
    try require((0...1).contains(minLearningRateRatio), "--min_lr_ratio", "give a ratio in [0, 1]")
    try require(referenceGlobalBatchSize >= 0, "--ref_global_bs", "give a non-negative batch size (0: automatic)")
    try require(batchSize >= 1, "--batch_size", "give a positive batch size")
    try require(gradientAccumulationSteps >= 1, "--grad_accum_steps", "give at least one step")
    try require(worldSize >= 1, "world_size", "give at least one process")
    try require(maxSteps >= 1, "--max_steps", "the run needs at least one optimizer step")
  }

  /// eff_bs / ref, at least 1e-8: the learning rate grows with the global batch.
  public var learningRateScale: Double {
    let effective = batchSize * worldSize * gradientAccumulationSteps
    let reference = Swift.max(
      referenceGlobalBatchSize != 0 ? referenceGlobalBatchSize : batchSize * gradientAccumulationSteps, 1)
    return Swift.max(Double(effective) / Double(reference), 1e-8)
  }

  /// `lr` × the batch scale: the learning rate at the end of warm-up.
  public var peakLearningRate: Double { learningRate * learningRateScale }

  /// The weight decay after `scale_wd`.
  public var scaledWeightDecay: Double {
    switch weightDecayScaling {
    case .none: weightDecay
    case .inverseSqrt: weightDecay / learningRateScale.squareRoot()
    case .inverseLinear: weightDecay / learningRateScale
    }
  }

  /// The schedule these settings describe.
  public var learningRateSchedule: LearningRateSchedule {
    LearningRateSchedule(decay: schedule, warmupSteps: warmupSteps, maxSteps: maxSteps, minRatio: minLearningRateRatio)
  }
}

/// A training setting that cannot work, with the flag to change.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
  public let flag: String
  public let message: String

  public init(flag: String, message: String) {
    self.flag = flag
    self.message = message
  }

  public var description: String { "\(flag): \(message)" }
}
