import Torch

/// Biased (V-statistic) maximum mean discrepancy with an RBF kernel, evaluation.md §6.2.
///
/// `k(x, y) = exp(−γ‖x − y‖²)`; `MMD = mean k(rᵢ, rⱼ) + mean k(gᵢ, gⱼ) − 2·mean k(rᵢ, gⱼ)` over all pairs, i = j
/// included, in float32. γ defaults to 1/D. May be slightly negative from rounding; exactly 0 for identical sets.
///
/// - Parameters: `real` [N, D], `generated` [M, D].
public func maximumMeanDiscrepancy(real: Tensor, generated: Tensor, gamma: Double? = nil) -> Double {
  precondition(real.shape.count == 2 && generated.shape.count == 2, "features must be [N, D]")
  precondition(real.shape[1] == generated.shape[1], "features have \(real.shape[1]) and \(generated.shape[1]) columns")
  let r = real.to(.float32)
  let g = generated.to(.float32)
  let gamma = gamma ?? 1 / Double(real.shape[1])
  func meanKernel(_ a: Tensor, _ b: Tensor) -> Tensor {
    let squaredNorms = a.pow(2).sum(dim: 1).unsqueeze(1) + b.pow(2).sum(dim: 1).unsqueeze(0)
    let squaredDistances = (squaredNorms - 2 * a.matmul(b.T)).clamp(min: 0)
    return (squaredDistances * -gamma).exp().mean()
  }
  return (meanKernel(r, r) + meanKernel(g, g) - 2 * meanKernel(r, g)).item()
}
