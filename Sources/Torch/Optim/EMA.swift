/// Exponential moving average of trainable parameters: shadows start as copies and after every optimizer
/// step move towards the parameters, `shadow ← shadow + (1 − decay)·(param − shadow)`.
public final class EMA {
  public let decay: Double
  public private(set) var shadows: StateDict
  private let parameters: [NamedTensor]

  public init(_ parameters: [NamedTensor], decay: Double = 0.999) {
    precondition((0...1).contains(decay), "EMA decay must be in [0, 1], got \(decay)")
    self.decay = decay
    self.parameters = parameters
    shadows = withNoGrad { StateDict(parameters.map { ($0.name, $0.tensor.detach().clone()) }) }
  }

  /// Moves every shadow towards its parameter.
  public func update() {
    withNoGrad {
      for (name, parameter) in parameters { shadows[name]!.lerpInPlace(parameter, weight: 1 - decay) }
    }
  }

  /// Replaces the shadows with saved ones (for resuming); throws when names or shapes differ.
  public func restore(_ saved: StateDict) throws {
    for (name, parameter) in parameters {
      guard let shadow = saved[name] else { throw OptimizerStateMismatch(message: "the EMA state lacks '\(name)'") }
      guard shadow.shape == parameter.shape else {
        throw OptimizerStateMismatch(
          message: "EMA shadow '\(name)' has shape \(shadow.shape), the parameter \(parameter.shape)")
      }
      withNoGrad { shadows[name]!.copy(from: shadow) }
    }
  }
}
