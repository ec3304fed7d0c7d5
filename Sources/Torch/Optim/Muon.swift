/// Muon (`torch.optim.Muon`): momentum, Newton–Schulz orthogonalisation in bfloat16, and a shape-adjusted
/// learning rate. Only for 2-D parameters.
public final class Muon: Optimizer {
  public let parameters: [NamedTensor]
  public var learningRate: Double
  public var weightDecay: Double
  public let momentum: Double
  public let nesterov: Bool
  public let newtonSchulzSteps: Int
  public let coefficients: (a: Double, b: Double, c: Double)
  public let eps: Double
  public private(set) var stepCount = 0
  private var momentumBuffers: [Tensor?]

  public init(
    _ parameters: [NamedTensor], learningRate: Double = 1e-3, weightDecay: Double = 0.1,
    momentum: Double = 0.95, nesterov: Bool = true, newtonSchulzSteps: Int = 5,
    coefficients: (a: Double, b: Double, c: Double) = (3.4445, -4.7750, 2.0315), eps: Double = 1e-7
  ) {
    for (name, tensor) in parameters {
      precondition(tensor.rank == 2, "Muon only optimises 2-D parameters; '\(name)' has shape \(tensor.shape)")
    }
    self.parameters = parameters
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.momentum = momentum
    self.nesterov = nesterov
    self.newtonSchulzSteps = newtonSchulzSteps
    self.coefficients = coefficients
    self.eps = eps
    momentumBuffers = Array(repeating: nil, count: parameters.count)
  }

  public func step() {
    withNoGrad {
      for (i, (_, parameter)) in parameters.enumerated() {
        guard let gradient = parameter.grad else { continue }
        let buffer = momentumBuffers[i] ?? Tensor.zeros(like: gradient)
        momentumBuffers[i] = buffer
        buffer.lerpInPlace(gradient, weight: 1 - momentum)
        let update = nesterov ? gradient.lerp(buffer, weight: momentum) : buffer
        let orthogonal = orthogonalise(update)
        let (rows, columns) = (parameter.size(0), parameter.size(1))
        let adjustedRate = learningRate * Swift.max(1, Double(rows) / Double(columns)).squareRoot()
        parameter *= 1 - learningRate * weightDecay
        parameter.addInPlace(orthogonal, alpha: -adjustedRate)
      }
    }
    stepCount += 1
  }

  /// Newton–Schulz iteration towards the nearest semi-orthogonal matrix, in bfloat16.
  func orthogonalise(_ matrix: Tensor) -> Tensor {
    let (a, b, c) = coefficients
    let tall = matrix.size(0) > matrix.size(1)
    var x = matrix.to(.bfloat16)
    if tall { x = x.T }
    x = x / x.norm().clamp(min: eps)
    for _ in 0..<newtonSchulzSteps {
      let gram = x.matmul(x.T)
      let update = gram.addmm(gram, gram, beta: b, alpha: c)
      x = x.addmm(update, x, beta: a)
    }
    return tall ? x.T : x
  }

  public func state() -> OptimizerState {
    var state = OptimizerState(scalars: ["step": Double(stepCount)])
    for (i, (name, _)) in parameters.enumerated() {
      if let buffer = momentumBuffers[i] { state.tensors["momentum_buffer/\(name)"] = buffer }
    }
    return state
  }

  public func restore(_ state: OptimizerState) throws {
    let buffers = try restoreBuffers("momentum_buffer", from: state, parameters: parameters)
    guard let steps = state.scalars["step"] else {
      throw OptimizerStateMismatch(message: "the state has no step count")
    }
    momentumBuffers = buffers
    stepCount = Int(steps)
  }
}
