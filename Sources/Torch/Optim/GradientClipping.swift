/// Scales all gradients so their global L2 norm is at most `maxNorm` (`clip_grad_norm_`): every gradient is
/// multiplied by min(1, maxNorm / (total + 1e-6)). Returns the total norm before clipping as a 0-dimensional
/// tensor on the gradients' device (0 when no parameter has a gradient), so a training step needs no
/// host–device synchronisation; call `.item()` on it only when logging.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) -> Tensor {
  let gradients = parameters.compactMap(\.grad)
  guard !gradients.isEmpty else { return Tensor.zeros([]) }
  return withNoGrad {
    let device = gradients[0].device
    let total = Tensor.stack(gradients.map { $0.norm().to(device: device) }).norm()
    // The coefficient stays a tensor, as in PyTorch, so the arithmetic (and its rounding) is the same.
    let coefficient = (maxNorm / (total + 1e-6)).clamp(max: 1)
    for gradient in gradients { gradient *= coefficient.to(dtype: gradient.dtype, device: gradient.device) }
    return total
  }
}
