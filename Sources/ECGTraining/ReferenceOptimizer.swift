import Torch

/// The reference's optimizer wrapper: builds Adam, AdamW or the Muon + AdamW pair from named parameters,
/// scales the learning rate and weight decay, and applies the schedule before every step.
public final class ReferenceOptimizer {
  public let configuration: OptimizerConfiguration
  /// The optimizers in order (Muon first in Muon mode).
  public let optimizers: [(name: String, optimizer: any Optimizer, learningRateRatio: Double)]
  /// Optimizer steps taken (s in the schedule).
  public private(set) var stepCount = 0

  /// Builds the optimizers over `parameters` (a model's `namedParameters()`, in registration order); frozen
  /// parameters are left out.
  public init(_ configuration: OptimizerConfiguration, parameters: [NamedTensor]) {
    self.configuration = configuration
    let trainable = parameters.filter { $0.tensor.requiresGrad }
    let peak = configuration.peakLearningRate
    let decay = configuration.scaledWeightDecay
    let betas = (configuration.beta1, configuration.beta2)
    let implementation = configuration.adamImplementation
    switch configuration.kind {
    case .adam:
      optimizers = [
        (
          "adam",
          Adam(
            trainable, learningRate: peak, betas: betas, eps: configuration.eps, weightDecay: decay,
            implementation: implementation), 1
        )
      ]
    case .adamw:
      optimizers = [
        (
          "adamw",
          Adam.adamW(
            trainable, learningRate: peak, betas: betas, eps: configuration.eps, weightDecay: decay,
            implementation: implementation), 1
        )
      ]
    case .muon:
      let muonParameters = trainable.filter { Self.isMuonParameter(name: $0.name, tensor: $0.tensor) }
      let others = trainable.filter { !Self.isMuonParameter(name: $0.name, tensor: $0.tensor) }
      let ratio = configuration.muonAdamWLearningRateRatio
      let muon = Muon(
        muonParameters, learningRate: peak, weightDecay: decay, momentum: configuration.muonMomentum,
        nesterov: configuration.muonNesterov,
        newtonSchulzSteps: configuration.muonNewtonSchulzSteps)
      let adamw = Adam.adamW(
        others, learningRate: peak * ratio, betas: betas, eps: configuration.eps, weightDecay: decay,
        implementation: implementation)
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
