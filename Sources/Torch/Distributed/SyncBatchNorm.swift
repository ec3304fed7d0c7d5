/// PyTorch's `SyncBatchNorm` for `BatchNorm1d`: in training mode the mean and variance are those of the global
/// batch, every rank's rows together, so ranks with batch B normalise exactly as one process with batch W·B.
///
/// Each rank computes its per-channel count n_r, mean μ_r and sum of squared deviations M2_r; one
/// differentiable all-gather brings every rank's triple; the global mean is Σ n_r μ_r / N and the global sum of
/// squares Σ M2_r + Σ n_r (μ_r − μ)² (Chan's combination, stable where E[x²] − E[x]² is not). Normalisation
/// uses the biased variance M2 / N, the running variance the unbiased M2 / (N − 1), as `nn.BatchNorm1d`.
/// Gradients are exact: the all-gather's backward sums the incoming gradients over the ranks (PyTorch's
/// SyncBatchNorm all-reduces the same two per-channel sums in its backward). bf16 and half inputs are normalised
/// in float32.
extension BatchNorm1d {
  func synchronizedForward(_ input: Tensor, over group: ProcessGroup, momentum factor: Double) -> Tensor {
    let x = input.dtype == .float64 ? input : input.to(dtype: .float32)
    let channels = x.size(1)
    let reduced = x.rank == 3 ? [0, 2] : [0]
    let broadcastShape = x.rank == 3 ? [1, channels, 1] : [1, channels]
    let count = x.count / channels
    let mean = x.mean(dims: reduced)  // [C]
    let squares = (x - mean.reshape(broadcastShape)).square().sum(dims: reduced)  // [C]
    let countColumn = Tensor.full([1], Double(count), dtype: x.dtype, device: x.device)
    let local = Tensor.cat([mean, squares, countColumn]).reshape(1, 2 * channels + 1)
    let all = group.differentiableAllGather(local)  // [W, 2C + 1]
    let means = all.narrow(dim: 1, start: 0, length: channels)
    let rankSquares = all.narrow(dim: 1, start: channels, length: channels)
    let counts = all.narrow(dim: 1, start: 2 * channels, length: 1).detach()  // [W, 1]
    let total = counts.sum()
    let globalMean = (means * counts).sum(dim: 0) / total  // [C]
    let globalSquares = rankSquares.sum(dim: 0) + (counts * (means - globalMean).square()).sum(dim: 0)
    let variance = globalSquares / total

    if let runningMean, let runningVar {
      withNoGrad {
        let unbiased = globalSquares.detach() / (total - 1)
        runningMean.copy(
          from: (runningMean * (1 - factor) + globalMean.detach().to(dtype: runningMean.dtype) * factor))
        runningVar.copy(from: (runningVar * (1 - factor) + unbiased.to(dtype: runningVar.dtype) * factor))
      }
    }
    var y = (x - globalMean.reshape(broadcastShape)) * (variance + eps).rsqrt().reshape(broadcastShape)
    if let weight { y = y * weight.to(dtype: x.dtype).reshape(broadcastShape) }
    if let bias { y = y + bias.to(dtype: x.dtype).reshape(broadcastShape) }
    return y.to(dtype: input.dtype)
  }
}

extension Module {
  /// Makes every `BatchNorm1d` in this module tree normalise over the global batch of `group`'s ranks
  /// (`torch.nn.SyncBatchNorm.convert_sync_batchnorm`); nil returns them to per-process statistics. Returns how
  /// many layers it set.
  @discardableResult
  public func synchronizeBatchNorm(over group: ProcessGroup?) -> Int {
    var layers = 0
    visitModules { _, module in
      guard let norm = module as? BatchNorm1d else { return }
      norm.syncGroup = group
      layers += 1
    }
    return layers
  }
}
