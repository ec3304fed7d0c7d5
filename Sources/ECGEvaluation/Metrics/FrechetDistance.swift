import Torch

/// Fréchet distance between two sets of features (FID when the features come from an encoder), evaluation.md §6.1.
///
/// `FID = ‖μ_R − μ_G‖² + tr(Σ_R + Σ_G − 2·S)` with column means μ, sample covariances Σ (divisor N − 1, float64)
/// and `S = sqrtm(Σ_R·Σ_G)` (principal root, real part). `tr(S)` is computed as `Σ √λᵢ` over the eigenvalues of the
/// symmetric `Σ_R^½·Σ_G·Σ_R^½`, which has the eigenvalues of `Σ_R·Σ_G`; eigenvalues that rounding makes slightly
/// negative count as 0, as the real part of their square root does in the reference. Singular covariances (fewer
/// samples than features) are fine.
///
/// - Parameters: `real` [N, D] and `generated` [M, D] features (any floating dtype; N, M ≥ 2).
public func frechetDistance(real: Tensor, generated: Tensor) -> Double {
  precondition(real.shape.count == 2 && generated.shape.count == 2, "features must be [N, D]")
  precondition(real.shape[1] == generated.shape[1], "features have \(real.shape[1]) and \(generated.shape[1]) columns")
  precondition(real.shape[0] >= 2 && generated.shape[0] >= 2, "FID needs at least two samples per set")
  // Means in float32 as the reference (column means of float32 arrays), then the rest in float64.
  let meanDifference = real.to(.float32).mean(dim: 0).to(.float64) - generated.to(.float32).mean(dim: 0).to(.float64)
  let covarianceReal = sampleCovariance(real)
  let covarianceGenerated = sampleCovariance(generated)
  let (values, vectors) = covarianceReal.symmetricEigen()
  // Σ_R^½ = V·diag(√w)·Vᵀ, scaling V's columns by broadcasting.
  let rootReal = (vectors * values.clamp(min: 0).sqrt().unsqueeze(0)).matmul(vectors.T)
  let product = rootReal.matmul(covarianceGenerated).matmul(rootReal)
  let symmetric = (product + product.T) * 0.5
  let traceOfRoot = symmetric.symmetricEigen().values.clamp(min: 0).sqrt().sum().item()
  let traces = trace(covarianceReal) + trace(covarianceGenerated)
  return (meanDifference * meanDifference).sum().item() + traces - 2 * traceOfRoot
}

/// Sample covariance of the columns of `x` [N, D] (divisor N − 1), float64 [D, D].
func sampleCovariance(_ x: Tensor) -> Tensor {
  let values = x.to(.float64)
  let centred = values - values.mean(dim: 0, keepDim: true)
  return centred.T.matmul(centred) / Double(values.shape[0] - 1)
}

/// The trace of a square matrix.
func trace(_ matrix: Tensor) -> Double {
  (matrix * Tensor.eye(matrix.shape[0], dtype: matrix.dtype, device: matrix.device)).sum().item()
}
