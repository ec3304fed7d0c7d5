/// Scales all gradients so their global L2 norm is at most `maxNorm` (`clip_grad_norm_`): every gradient is
/// multiplied by min(1, maxNorm / (total + 1e-6)). Returns the total norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
  let gradients = parameters.compactMap(\.grad)
  guard !gradients.isEmpty else { return 0 }
  return withNoGrad {
    let device = gradients[0].device
    let total = Tensor.stack(gradients.map { $0.norm().to(device: device) }).norm()
    // The coefficient stays a tensor, as in PyTorch, so the arithmetic (and its rounding) is the same.
    let coefficient = (maxNorm / (total + 1e-6)).clamp(max: 1)
    for gradient in gradients { gradient *= coefficient.to(dtype: gradient.dtype, device: gradient.device) }
    return total.item()
  }
}

/// Gradient accumulation over `steps` micro-batches: scale each micro-batch loss by `lossScale` and step the
/// optimizer when `recordMicroBatch()` returns true. (The reference only uses the count for LR scaling;
/// here accumulation is real.)
public struct GradientAccumulation: Sendable {
  public let steps: Int
  public private(set) var microBatch = 0

  public init(steps: Int) {
    precondition(steps >= 1, "gradient accumulation needs at least one step")
    self.steps = steps
  }

  /// Multiply each micro-batch loss by this so the accumulated gradient is the mean over micro-batches.
  public var lossScale: Double { 1 / Double(steps) }

  /// Counts a micro-batch; true when the optimizer should step now.
  public mutating func recordMicroBatch() -> Bool {
    microBatch += 1
    if microBatch == steps {
      microBatch = 0
      return true
    }
    return false
  }
}
