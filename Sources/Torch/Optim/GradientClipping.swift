/// Scales all gradients so their global L2 norm is at most `maxNorm` (`clip_grad_norm_`, its foreach path):
/// every gradient is multiplied by min(1, maxNorm / (total + 1e-6)). Per device and dtype, one `_foreach_norm`
/// gives the gradients' norms and one `_foreach_mul_` scales them; the total is the norm of all those norms,
/// stacked on the first gradient's device. Returns the total before clipping as a 0-dimensional tensor on that
/// device (0 when no parameter has a gradient), so a training step needs no host–device synchronisation; call
/// `.item()` on it only when logging.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Double) -> Tensor {
  let gradients = parameters.compactMap(\.grad)
  guard !gradients.isEmpty else { return Tensor.zeros([]) }
  return withNoGrad {
    let device = gradients[0].device
    let groups = groupedByDeviceAndDType(gradients) { $0 }
    let norms = groups.flatMap { Foreach.norm($0) }
    let total = Tensor.stack(norms.map { $0.to(device: device) }).norm()
    // The coefficient stays a tensor, as in PyTorch, so the arithmetic (and its rounding) is the same.
    let coefficient = (maxNorm / (total + 1e-6)).clamp(max: 1)
    for group in groups { Foreach.mulInPlace(group, coefficient.to(device: group[0].device)) }
    return total
  }
}
