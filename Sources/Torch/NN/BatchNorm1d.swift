/// Batch normalisation over [N, C] or [N, C, L] (`nn.BatchNorm1d`): `weight`, `bias`, and the buffers
/// `running_mean`, `running_var`, `num_batches_tracked`. Training mode normalises with the batch statistics
/// (biased variance) and updates the running ones (unbiased variance) with `momentum`.
public final class BatchNorm1d: Module, UnaryLayer {
  @Parameter("weight") public var weight: Tensor?
  @Parameter("bias") public var bias: Tensor?
  @Buffer("running_mean") public var runningMean: Tensor?
  @Buffer("running_var") public var runningVar: Tensor?
  @Buffer("num_batches_tracked") public var batchesTracked: Tensor?
  /// Weight of the newest batch in the running statistics; nil means a cumulative average.
  public let momentum: Double?
  public let eps: Double
  /// With a group, training mode normalises with the statistics of the global batch over all its ranks
  /// (PyTorch's `SyncBatchNorm`); nil keeps them per process. Set by `Module.synchronizeBatchNorm(over:)`.
  public var syncGroup: ProcessGroup?

  public init(
    _ features: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, trackRunningStats: Bool = true
  ) {
    self.eps = eps
    self.momentum = momentum
    super.init()
    if affine {
      weight = Tensor.ones([features])
      bias = Tensor.zeros([features])
    }
    if trackRunningStats {
      runningMean = Tensor.zeros([features])
      runningVar = Tensor.ones([features])
      batchesTracked = Tensor.zeros([], dtype: .int64)
    }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    var factor = 0.0
    if isTraining, let tracked = batchesTracked {
      tracked += 1
      factor = momentum ?? 1 / Double(tracked.itemInt())
    }
    if isTraining, let group = syncGroup, group.worldSize > 1 {
      return synchronizedForward(input, over: group, momentum: factor)
    }
    let useBatchStatistics = isTraining || runningMean == nil
    return Functional.batchNorm(
      input, runningMean: isTraining && batchesTracked == nil ? nil : runningMean,
      runningVar: isTraining && batchesTracked == nil ? nil : runningVar, weight: weight, bias: bias,
      training: useBatchStatistics, momentum: factor, eps: eps)
  }
}
