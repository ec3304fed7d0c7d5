import CTorch

/// Data-parallel gradient averaging with c10d's `Reducer`, the engine inside PyTorch's
/// DistributedDataParallel: gradients go into buckets (1 MB first, then `bucketCapMB`) in reverse parameter
/// order, and each bucket is all-reduced as soon as its gradients are ready, so communication overlaps the rest
/// of the backward pass. Call `prepare(for:)` with the loss before each `backward()`; when `backward()` returns,
/// every gradient holds the mean over the ranks.
public final class GradientReducer: @unchecked Sendable {
  let handle: ct_reducer
  /// Kept alive for the reducer's hooks.
  let group: ProcessGroup
  let parameters: [Tensor]

  /// - Parameters:
  ///   - parameters: the trainable parameters, in the same order on every rank.
  ///   - findUnusedParameters: mark parameters the loss's graph does not reach as ready (DDP's flag; needed
  ///     when a network leaves some parameters unused in a step).
  public init(
    parameters: [Tensor], group: ProcessGroup, bucketCapMB: Int = 25, findUnusedParameters: Bool = false
  ) throws {
    self.group = group
    self.parameters = parameters
    let handles: [ct_tensor?] = parameters.map(\.handle)
    guard
      let handle = ct_reducer_create(
        group.handle, handles, Int64(handles.count), Int64(bucketCapMB), findUnusedParameters)
    else {
      throw DistributedError.collective(operation: "gradient reducer setup", message: ProcessGroup.lastError())
    }
    self.handle = handle
  }

  deinit { ct_reducer_free(handle) }

  /// Arms the reducer for the next backward pass from `outputs` (the loss).
  public func prepare(for outputs: [Tensor]) throws {
    let handles: [ct_tensor?] = outputs.map(\.handle)
    if ct_reducer_prepare(handle, handles, Int64(handles.count)) < 0 {
      throw DistributedError.collective(operation: "gradient reducer", message: ProcessGroup.lastError())
    }
  }
}
