import ECGModels
import Torch

/// What the trainer does differently under `--distributed` (pipeline.md §11, with the reference's bugs fixed):
/// rank 0's weights and buffers are broadcast at the start, gradients are averaged over the ranks while backward
/// runs (c10d's Reducer, as DDP) — once per accumulation window, on its last micro-batch (DDP's `no_sync`) — the
/// epoch loss that decides "best" and early stopping is the mean over the ranks (the reference keeps it per
/// rank), and rank 0's early-stop decision is broadcast so no rank hangs. Networks that gather their batch over
/// the ranks (MERL's contrastive terms) get the group's all-gather; with `syncBatchNorm` BatchNorm statistics are
/// those of the global batch. Only rank 0 writes checkpoints; the caller gives the other ranks no checkpoint
/// directory.
public final class DistributedTraining {
  public let group: ProcessGroup
  /// DDP's `find_unused_parameters`: true for networks that leave parameters out of some steps.
  public let findUnusedParameters: Bool
  public let bucketCapMB: Int
  /// `--sync_bn`: every BatchNorm normalises over the global batch (PyTorch's SyncBatchNorm); false keeps the
  /// statistics per rank, as the reference.
  public let syncBatchNorm: Bool
  /// All-reduce the gradients after every micro-batch instead of only after a window's last one (same result,
  /// more communication; for comparisons).
  public var synchronizeEveryMicroBatch = false
  private var reducer: GradientReducer?

  public init(
    group: ProcessGroup, findUnusedParameters: Bool = false, bucketCapMB: Int = 25, syncBatchNorm: Bool = false
  ) {
    self.group = group
    self.findUnusedParameters = findUnusedParameters
    self.bucketCapMB = bucketCapMB
    self.syncBatchNorm = syncBatchNorm
  }

  public var isMain: Bool { group.rank == 0 }

  /// Makes every rank start from rank 0's weights and buffers and sets up gradient averaging.
  func start(module: Module, parameters: [Tensor]) throws {
    let state = module.namedParameters().map(\.tensor) + module.namedBuffers().map(\.tensor)
    try withNoGrad { try group.broadcast(state, from: 0) }
    if syncBatchNorm { module.synchronizeBatchNorm(over: group) }
    module.visitModules { [group] _, module in
      if let merl = module as? Merl { merl.batchGather = { group.differentiableAllGather($0) } }
    }
    reducer = try GradientReducer(
      parameters: parameters, group: group, bucketCapMB: bucketCapMB, findUnusedParameters: findUnusedParameters)
  }

  /// The loss `body` computes. A collective inside it (MERL's all-gather, SyncBatchNorm) that fails because a
  /// peer is gone or the timeout passed becomes a thrown `DistributedError`, as in `backward`; any other
  /// libtorch failure in the forward pass is thrown as its `TorchError` rather than stopping this rank.
  func forward(_ body: () -> Tensor) throws -> Tensor {
    do {
      return try Torch.catching(body)
    } catch let error as TorchError where error.operation.hasPrefix(ProcessGroup.operationPrefix) {
      let collective = error.operation.dropFirst(ProcessGroup.operationPrefix.count)
      throw DistributedError.collective(operation: "\(collective) in the forward pass", message: error.message)
    }
  }

  /// Backward of `loss`. With `synchronize` (a window's last micro-batch) the gradients, accumulated over the
  /// window, are averaged over the ranks as they become ready; without it they only accumulate locally, as under
  /// DDP's `no_sync` (the Reducer is not armed, so its hooks do nothing). A peer that is gone fails the bucket
  /// all-reduce inside backward; that becomes a thrown error, not a crash.
  func backward(_ loss: Tensor, synchronize: Bool = true) throws {
    if synchronize || synchronizeEveryMicroBatch { try reducer?.prepare(for: [loss]) }
    do {
      try Torch.catching { loss.backward() }
    } catch let error as TorchError {
      throw DistributedError.collective(operation: "backward (gradient all-reduce)", message: error.message)
    }
  }

  /// The epoch's average loss over all ranks.
  func epochAverage(_ local: Double) throws -> Double {
    try group.mean(local)
  }

  /// Rank 0's early-stop decision, on every rank.
  func agreeToStop(_ local: Bool) throws -> Bool {
    try group.broadcast(local, from: 0)
  }
}

extension DistributedTraining {
  /// True on every rank when any rank asks to stop (Ctrl-C reaches the ranks at different steps; all must stop
  /// after the same one). One all-reduce of one number per step.
  public func anyRankStops(_ local: Bool) -> Bool {
    let flag = Tensor(scalar: Float(local ? 1 : 0))
    // A failed collective means a peer is gone: stopping is the only sensible answer.
    guard (try? group.allReduce([flag], .max)) != nil else { return true }
    return flag.item() != 0
  }
}
