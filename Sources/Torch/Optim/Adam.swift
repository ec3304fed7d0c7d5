import Foundation

/// Adam and AdamW with `torch.optim` arithmetic (single-tensor path).
///
/// Adam adds L2 weight decay to the gradient; AdamW (`decoupledWeightDecay`) first shrinks the parameter by
/// `1 − lr·wd` and then takes the plain Adam step.
public final class Adam: Optimizer {
  public let parameters: [NamedTensor]
  public var learningRate: Double
  public let beta1: Double
  public let beta2: Double
  public let eps: Double
  public var weightDecay: Double
  public let decoupledWeightDecay: Bool
  public private(set) var stepCount = 0
  private var firstMoments: [Tensor?]
  private var secondMoments: [Tensor?]
  /// Steps taken per parameter (a parameter without a gradient skips a step, as in PyTorch).
  private var parameterSteps: [Int]

  public init(
    _ parameters: [NamedTensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
    eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    (beta1, beta2) = betas
    self.eps = eps
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
    firstMoments = Array(repeating: nil, count: parameters.count)
    secondMoments = Array(repeating: nil, count: parameters.count)
    parameterSteps = Array(repeating: 0, count: parameters.count)
  }

  /// AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).
  public static func adamW(
    _ parameters: [NamedTensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
    eps: Double = 1e-8, weightDecay: Double = 1e-2
  ) -> Adam {
    Adam(
      parameters, learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay,
      decoupledWeightDecay: true)
  }

  public func step() {
    withNoGrad {
      for (i, (_, parameter)) in parameters.enumerated() {
        guard var gradient = parameter.grad else { continue }
        parameterSteps[i] += 1
        let t = Double(parameterSteps[i])
        if decoupledWeightDecay {
          if weightDecay != 0 { parameter *= 1 - learningRate * weightDecay }
        } else if weightDecay != 0 {
          gradient = gradient + parameter * weightDecay
        }
        let m = firstMoments[i] ?? Tensor.zeros(like: parameter)
        let v = secondMoments[i] ?? Tensor.zeros(like: parameter)
        firstMoments[i] = m
        secondMoments[i] = v
        m.lerpInPlace(gradient, weight: 1 - beta1)
        v *= beta2
        v.addcmulInPlace(gradient, gradient, value: 1 - beta2)
        let biasCorrection1 = 1 - Foundation.pow(beta1, t)
        let biasCorrection2 = 1 - Foundation.pow(beta2, t)
        let stepSize = learningRate / biasCorrection1
        let denominator = v.sqrt() / biasCorrection2.squareRoot() + eps
        parameter.addcdivInPlace(m, denominator, value: -stepSize)
      }
    }
    stepCount += 1
  }

  public func state() -> OptimizerState {
    var state = OptimizerState(scalars: ["step": Double(stepCount)])
    for (i, (name, _)) in parameters.enumerated() {
      if let m = firstMoments[i] { state.tensors["exp_avg/\(name)"] = m }
      if let v = secondMoments[i] { state.tensors["exp_avg_sq/\(name)"] = v }
      state.scalars["param_step/\(name)"] = Double(parameterSteps[i])
    }
    return state
  }

  public func restore(_ state: OptimizerState) throws {
    let m = try restoreBuffers("exp_avg", from: state, parameters: parameters)
    let v = try restoreBuffers("exp_avg_sq", from: state, parameters: parameters)
    guard let steps = state.scalars["step"] else {
      throw OptimizerStateMismatch(message: "the state has no step count")
    }
    firstMoments = m
    secondMoments = v
    stepCount = Int(steps)
    parameterSteps = parameters.map { Int(state.scalars["param_step/\($0.name)"] ?? 0) }
  }
}
