import CTorch
import Foundation

/// Adam and AdamW with `torch.optim` arithmetic.
///
/// Adam adds L2 weight decay to the gradient; AdamW (`decoupledWeightDecay`) first shrinks the parameter by
/// `1 − lr·wd` and then takes the plain Adam step. The step runs as one of PyTorch's three implementations
/// (`Implementation`); all three keep the same state, so a checkpoint saved under one resumes under another.
public final class Adam: Optimizer {
  /// How a step runs: torch.optim's `foreach=` and `fused=` switches.
  public enum Implementation: String, Sendable, CaseIterable, Codable {
    /// One parameter at a time (`foreach=False`, `_single_tensor_adam`).
    case singleTensor = "single"
    /// Multi-tensor `_foreach_*` operations over each device's and dtype's parameters (`_multi_tensor_adam`):
    /// the same arithmetic, far fewer kernel launches on CUDA.
    case forEach = "foreach"
    /// One `_fused_adam_` / `_fused_adamw_` kernel per device and dtype (`fused=True`); its own operation
    /// order, so results may differ from the other two in the last bits.
    case fused

    /// PyTorch's default: multi-tensor when every parameter is on CUDA, single-tensor otherwise (fused is
    /// never the default).
    public static func `default`(for parameters: [NamedTensor]) -> Implementation {
      let allOnCUDA =
        !parameters.isEmpty && parameters.allSatisfy { if case .cuda = $0.tensor.device { true } else { false } }
      return allOnCUDA ? .forEach : .singleTensor
    }
  }

  public let parameters: [NamedTensor]
  public var learningRate: Double
  public let beta1: Double
  public let beta2: Double
  public let eps: Double
  public var weightDecay: Double
  public let decoupledWeightDecay: Bool
  public let implementation: Implementation
  public private(set) var stepCount = 0
  private var firstMoments: [Tensor?]
  private var secondMoments: [Tensor?]
  /// Steps taken per parameter (a parameter without a gradient skips a step, as in PyTorch).
  private var parameterSteps: [Int]
  /// The fused kernel's step counts: float32 tensors on each parameter's device, as PyTorch keeps them for
  /// `fused=True` (created from `parameterSteps` on first use, so restoring needs no device copy).
  private var stepTensors: [Tensor?]

  /// `implementation` nil: PyTorch's default for where the parameters are (`Implementation.default(for:)`).
  public init(
    _ parameters: [NamedTensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
    eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false,
    implementation: Implementation? = nil
  ) {
    self.parameters = parameters
    self.learningRate = learningRate
    (beta1, beta2) = betas
    self.eps = eps
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
    self.implementation = implementation ?? .default(for: parameters)
    firstMoments = Array(repeating: nil, count: parameters.count)
    secondMoments = Array(repeating: nil, count: parameters.count)
    parameterSteps = Array(repeating: 0, count: parameters.count)
    stepTensors = Array(repeating: nil, count: parameters.count)
  }

  /// AdamW: Adam with decoupled weight decay (PyTorch's default decay 0.01).
  public static func adamW(
    _ parameters: [NamedTensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
    eps: Double = 1e-8, weightDecay: Double = 1e-2, implementation: Implementation? = nil
  ) -> Adam {
    Adam(
      parameters, learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay,
      decoupledWeightDecay: true, implementation: implementation)
  }

  public func step() {
    withNoGrad {
      let active = parameters.indices.filter { parameters[$0].tensor.grad != nil }
      for i in active {
        parameterSteps[i] += 1
        if firstMoments[i] == nil { firstMoments[i] = Tensor.zeros(like: parameters[i].tensor) }
        if secondMoments[i] == nil { secondMoments[i] = Tensor.zeros(like: parameters[i].tensor) }
      }
      let groups = groupedByDeviceAndDType(active, tensor: { parameters[$0].tensor })
      switch implementation {
      case .singleTensor: for i in active { singleTensorStep(i) }
      case .forEach: for group in groups { multiTensorStep(group) }
      case .fused: for group in groups { fusedStep(group) }
      }
    }
    stepCount += 1
  }

  /// `_single_tensor_adam`.
  private func singleTensorStep(_ i: Int) {
    let parameter = parameters[i].tensor
    var gradient = parameter.grad!
    let (m, v) = (firstMoments[i]!, secondMoments[i]!)
    let t = Double(parameterSteps[i])
    if decoupledWeightDecay {
      if weightDecay != 0 { parameter *= 1 - learningRate * weightDecay }
    } else if weightDecay != 0 {
      // grad.add(param, alpha=wd): one fused multiply-add, as PyTorch rounds it.
      gradient = gradient.clone()
      gradient.addInPlace(parameter, alpha: weightDecay)
    }
    m.lerpInPlace(gradient, weight: 1 - beta1)
    v *= beta2
    v.addcmulInPlace(gradient, gradient, value: 1 - beta2)
    let biasCorrection1 = 1 - Foundation.pow(beta1, t)
    let biasCorrection2 = 1 - Foundation.pow(beta2, t)
    let stepSize = learningRate / biasCorrection1
    let denominator = v.sqrt() / biasCorrection2.squareRoot() + eps
    parameter.addcdivInPlace(m, denominator, value: -stepSize)
  }

  /// `_multi_tensor_adam` (not capturable): the per-parameter bias corrections are computed on the host from
  /// the step counts, as PyTorch does with its CPU step tensors.
  private func multiTensorStep(_ group: [Int]) {
    let params = group.map { parameters[$0].tensor }
    var grads = params.map { $0.grad! }
    let m = group.map { firstMoments[$0]! }
    let v = group.map { secondMoments[$0]! }
    if weightDecay != 0 {
      if decoupledWeightDecay {
        Foreach.mulInPlace(params, 1 - learningRate * weightDecay)
      } else {
        grads = Foreach.add(grads, params, alpha: weightDecay)
      }
    }
    Foreach.lerpInPlace(m, grads, weight: 1 - beta1)
    Foreach.mulInPlace(v, beta2)
    Foreach.addcmulInPlace(v, grads, grads, value: 1 - beta2)
    let steps = group.map { Double(parameterSteps[$0]) }
    let stepSizes = steps.map { -(learningRate / (1 - Foundation.pow(beta1, $0))) }
    // Python's `bc ** 0.5`, as `_multi_tensor_adam` writes it.
    let biasCorrection2Roots = steps.map { Foundation.pow(1 - Foundation.pow(beta2, $0), 0.5) }
    let denominators = Foreach.sqrt(v)
    Foreach.divInPlace(denominators, biasCorrection2Roots)
    Foreach.addInPlace(denominators, eps)
    Foreach.addcdivInPlace(params, m, denominators, values: stepSizes)
  }

  /// `_fused_adam`: the step counts are incremented on the device, then one kernel updates the group.
  private func fusedStep(_ group: [Int]) {
    let params = group.map { parameters[$0].tensor }
    let steps = group.map { i in
      if let tensor = stepTensors[i] { return tensor }
      // The count before this step: the increment below makes it this step's.
      let tensor = Tensor.full([], Double(parameterSteps[i] - 1), dtype: .float32, device: parameters[i].tensor.device)
      stepTensors[i] = tensor
      return tensor
    }
    Foreach.addInPlace(steps, 1)
    let lists = [
      params, params.map { $0.grad! }, group.map { firstMoments[$0]! }, group.map { secondMoments[$0]! }, steps,
    ]
    let status = withHandles(lists[0]) { p in
      withHandles(lists[1]) { g in
        withHandles(lists[2]) { m in
          withHandles(lists[3]) { v in
            withHandles(lists[4]) { s in
              ct_fused_adam_(
                p, g, m, v, s, Int64(group.count), learningRate, beta1, beta2, weightDecay, eps, decoupledWeightDecay)
            }
          }
        }
      }
    }
    check(status, decoupledWeightDecay ? "_fused_adamw_" : "_fused_adam_")
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
    stepTensors = Array(repeating: nil, count: parameters.count)
  }
}
