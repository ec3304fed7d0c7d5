/// Which optimizer the reference wrapper builds (`--optimizer`).
public enum OptimizerKind: String, Sendable, CaseIterable {
  case adam
  case adamw
  case muon
}

/// How weight decay follows the learning-rate scale (`--scale_wd`).
public enum WeightDecayScaling: String, Sendable, CaseIterable {
  case none
  /// wd / √scale.
  case inverseSqrt = "inv_sqrt"
  /// wd / scale. The reference accepts this value but applies no scaling [BUG]; we apply wd / scale.
  case inverseLinear = "inv_linear"
}

/// The reference's optimizer settings (flags of `pretrain_encoder.py`, pipeline.md §8.3).
public struct OptimizerConfiguration: Sendable, Equatable {
  public var kind: OptimizerKind = .adamw
  public var learningRate: Double = 1e-4
  public var weightDecay: Double = 0.01
  public var beta1: Double = 0.9
  public var beta2: Double = 0.95
  public var eps: Double = 1e-8
  public var muonMomentum: Double = 0.95
  public var muonNewtonSchulzSteps: Int = 5
  public var muonAdamWLearningRateRatio: Double = 0.015
  public var schedule: LearningRateSchedule.Decay = .constant
  public var warmupSteps: Int = 2000
  public var minLearningRateRatio: Double = 0.1
  /// Global batch the learning rate was tuned for; 0 means batch size × accumulation steps.
  public var referenceGlobalBatchSize: Int = 0
  public var weightDecayScaling: WeightDecayScaling = .none
  public var batchSize: Int = 1
  public var gradientAccumulationSteps: Int = 1
  public var worldSize: Int = 1
  public var maxSteps: Int = 1

  public init() {}

  /// eff_bs / ref, at least 1e-8: the learning rate grows with the global batch.
  public var learningRateScale: Double {
    let effective = batchSize * worldSize * gradientAccumulationSteps
    let reference = Swift.max(
      referenceGlobalBatchSize != 0 ? referenceGlobalBatchSize : batchSize * gradientAccumulationSteps, 1)
    return Swift.max(Double(effective) / Double(reference), 1e-8)
  }

  public var peakLearningRate: Double { learningRate * learningRateScale }

  public var scaledWeightDecay: Double {
    switch weightDecayScaling {
    case .none: weightDecay
    case .inverseSqrt: weightDecay / learningRateScale.squareRoot()
    case .inverseLinear: weightDecay / learningRateScale
    }
  }

  public var learningRateSchedule: LearningRateSchedule {
    LearningRateSchedule(decay: schedule, warmupSteps: warmupSteps, maxSteps: maxSteps, minRatio: minLearningRateRatio)
  }
}

/// The reference's optimizer wrapper: builds Adam, AdamW or the Muon + AdamW pair from named parameters,
/// scales the learning rate and weight decay, and applies the schedule before every step.
public final class ReferenceOptimizer {
  public let configuration: OptimizerConfiguration
  /// The optimizers in order (Muon first in Muon mode).
  public let optimizers: [(name: String, optimizer: any Optimizer, learningRateRatio: Double)]
  /// Optimizer steps taken (s in the schedule).
  public private(set) var stepCount = 0

  public init(_ configuration: OptimizerConfiguration, parameters: [(name: String, tensor: Tensor)]) {
    self.configuration = configuration
    let trainable = parameters.filter { $0.tensor.requiresGrad }
    let peak = configuration.peakLearningRate
    let decay = configuration.scaledWeightDecay
    let betas = (configuration.beta1, configuration.beta2)
    switch configuration.kind {
    case .adam:
      optimizers = [
        ("adam", Adam(trainable, learningRate: peak, betas: betas, eps: configuration.eps, weightDecay: decay), 1)
      ]
    case .adamw:
      optimizers = [
        (
          "adamw", Adam.adamW(trainable, learningRate: peak, betas: betas, eps: configuration.eps, weightDecay: decay),
          1
        )
      ]
    case .muon:
      let muonParameters = trainable.filter { Self.isMuonParameter(name: $0.name, tensor: $0.tensor) }
      let others = trainable.filter { !Self.isMuonParameter(name: $0.name, tensor: $0.tensor) }
      let ratio = configuration.muonAdamWLearningRateRatio
      let muon = Muon(
        muonParameters, learningRate: peak, weightDecay: decay, momentum: configuration.muonMomentum, nesterov: true,
        newtonSchulzSteps: configuration.muonNewtonSchulzSteps)
      let adamw = Adam.adamW(
        others, learningRate: peak * ratio, betas: betas, eps: configuration.eps, weightDecay: decay)
      optimizers = [("muon", muon, 1), ("adamw", adamw, ratio)]
    }
  }

  /// The reference's split: 2-D parameters whose lower-cased name contains none of emb, output_proj, head,
  /// norm, ln go to Muon.
  public static func isMuonParameter(name: String, tensor: Tensor) -> Bool {
    let lower = name.lowercased()
    return tensor.rank == 2 && !["emb", "output_proj", "head", "norm", "ln"].contains { lower.contains($0) }
  }

  /// The learning rate the next step uses (the first optimizer's, as the reference logs it).
  public var currentLearningRate: Double {
    configuration.peakLearningRate * configuration.learningRateSchedule.multiplier(atStep: stepCount)
  }

  /// Sets the scheduled learning rate on every optimizer, steps them, and counts the step.
  public func step() {
    let rate = currentLearningRate
    for (_, optimizer, ratio) in optimizers {
      optimizer.learningRate = rate * ratio
      optimizer.step()
    }
    stepCount += 1
  }

  public func zeroGrad() {
    for (_, optimizer, _) in optimizers { optimizer.zeroGrad() }
  }

  /// Every optimizer's state under its name, plus the step count.
  public func state() -> OptimizerState {
    var state = OptimizerState(scalars: ["wrapper_step": Double(stepCount)])
    for (name, optimizer, _) in optimizers { state.merge(optimizer.state(), prefix: name) }
    return state
  }

  public func restore(_ state: OptimizerState) throws {
    guard let step = state.scalars["wrapper_step"] else {
      throw OptimizerStateMismatch(message: "the state has no step count")
    }
    for (name, optimizer, _) in optimizers { try optimizer.restore(state.scoped(name)) }
    stepCount = Int(step)
  }
}
