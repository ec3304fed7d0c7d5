import CTorch
import Foundation

/// A c10d process group: the rendezvous through a TCPStore on the master, Gloo for CPU tensors and, when joined
/// with a CUDA device, NCCL for CUDA tensors (PyTorch's "cpu:gloo,cuda:nccl"); each collective runs on the
/// backend for its tensors' device, which every rank calls in the same order. Each collective waits at most
/// `timeout`; a peer that died or hangs makes it throw instead of blocking forever.
public final class ProcessGroup: @unchecked Sendable {
  let handle: ct_process_group
  public let rank: Int
  public let worldSize: Int
  /// The device whose tensors the collectives take besides CPU ones: `.cuda(n)` when NCCL was added, else `.cpu`.
  public let device: Device
  /// Upper bound for the rendezvous and for each collective.
  public let timeout: Duration
  /// The first collective failure: after it the group is broken (a peer is gone or out of step), so later
  /// collectives fail at once with it instead of each waiting out the timeout again.
  private var failure: DistributedError?
  private let failureLock = NSLock()

  /// How `allReduce` combines the ranks' values.
  public enum ReduceOperation: Int32, Sendable {
    case sum = 0, max = 1, min = 2, product = 3
  }

  /// Joins the group described by `environment` (blocks until every rank has joined or `timeout` passes). With a
  /// CUDA `device` (this rank's GPU) NCCL is added for CUDA tensors; without a CUDA build of libtorch, a GPU or
  /// the NCCL plugin that throws `DistributedError.unavailable` before any rendezvous.
  public init(environment: DistributedEnvironment, device: Device = .cpu, timeout: Duration = .seconds(1800)) throws {
    rank = environment.rank
    worldSize = environment.worldSize
    self.device = device
    self.timeout = timeout
    if case .cuda = device, ct_nccl_load() != 1 { throw DistributedError.unavailable(Self.lastError()) }
    if let problem = Self.resolutionProblem(environment.masterAddress) {
      throw DistributedError.environment(
        "MASTER_ADDR '\(environment.masterAddress)' does not resolve (\(problem)): pass node 0's address or host "
          + "name (ecg launch --master_addr, or MASTER_ADDR)")
    }
    var hostname = environment.glooHostname
    if hostname == nil, environment.glooInterface == nil, Self.isLoopback(environment.masterAddress) {
      hostname = "127.0.0.1"  // one machine: stay on loopback whatever the hostname resolves to
    }
    guard
      let handle = ct_process_group_gloo(
        environment.masterAddress, Int32(environment.masterPort), Int32(rank), Int32(worldSize),
        environment.glooInterface, hostname, Self.milliseconds(timeout))
    else {
      throw DistributedError.collective(
        operation: "rendezvous at \(environment.masterAddress):\(environment.masterPort) as rank \(rank) of "
          + "\(worldSize)", message: Self.lastError())
    }
    if case .cuda(let index) = device, ct_process_group_nccl(handle, Int32(index), Self.milliseconds(timeout)) < 0 {
      let message = Self.lastError()
      ct_process_group_free(handle)
      throw DistributedError.collective(operation: "NCCL setup on \(device)", message: message)
    }
    self.handle = handle
  }

  deinit { ct_process_group_free(handle) }

  /// Combines `tensors` (all CPU, or all on `device`) element-wise over the ranks, in place.
  public func allReduce(_ tensors: [Tensor], _ operation: ReduceOperation = .sum) throws {
    let handles: [ct_tensor?] = tensors.map(\.handle)
    try collective("all_reduce") {
      ct_all_reduce(handle, handles, Int64(handles.count), operation.rawValue, timeoutMilliseconds) >= 0
    }
  }

  /// The mean over the ranks of each tensor, in place.
  public func allReduceMean(_ tensors: [Tensor]) throws {
    try allReduce(tensors, .sum)
    for tensor in tensors { tensor *= 1 / Double(worldSize) }
  }

  /// Copies rank `root`'s values into `tensors` on every rank.
  public func broadcast(_ tensors: [Tensor], from root: Int = 0) throws {
    let handles: [ct_tensor?] = tensors.map(\.handle)
    try collective("broadcast") {
      ct_broadcast(handle, handles, Int64(handles.count), Int32(root), timeoutMilliseconds) >= 0
    }
  }

  /// Every rank's `tensor` (same shape on all ranks) concatenated along dim 0 in rank order. With
  /// `differentiable`, the gradient of this rank's rows is the sum over ranks of the gradients of those rows
  /// (torch.distributed.nn.all_gather), so a loss over the gathered batch trains every rank's encoder.
  public func allGather(_ tensor: Tensor, differentiable: Bool = false) throws -> Tensor {
    var gathered: ct_tensor?
    try collective("all_gather") {
      gathered = ct_all_gather(handle, tensor.handle, differentiable, timeoutMilliseconds)
      return gathered != nil
    }
    return Tensor(handle: gathered!)
  }

  /// `allGather(tensor, differentiable: true)` for a forward pass, which cannot throw: a failed collective (a
  /// peer gone, the timeout passed) is recorded inside `Torch.catching` (the distributed trainer runs every
  /// forward pass in one and throws it) and otherwise stops the program with c10d's message, as any failed
  /// tensor operation does.
  public func differentiableAllGather(_ tensor: Tensor) -> Tensor {
    do {
      return try allGather(tensor, differentiable: true)
    } catch {
      var message = "\(error)"
      if case .collective(_, let reason) = error as? DistributedError { message = reason }
      reportFailure("\(Self.operationPrefix)all_gather of \(tensor.shape)", message: message)
    }
    // Still here: a scope records the failure. Zeros of the gathered shape keep the shape arithmetic of the rest
    // of the forward pass valid until the scope throws.
    var shape = tensor.shape.isEmpty ? [1] : tensor.shape
    shape[0] *= worldSize
    return Tensor.zeros(shape, dtype: tensor.dtype, device: tensor.device)
  }

  /// How the failures of collectives inside a forward pass are named in a `TorchError`'s operation.
  public static let operationPrefix = "distributed "

  /// Waits until every rank has reached this point (over Gloo).
  public func barrier() throws {
    try collective("barrier") { ct_barrier(handle, timeoutMilliseconds) >= 0 }
  }

  /// Rank `root`'s value of a flag (e.g. the early-stop decision) on every rank; a CPU tensor, so over Gloo.
  public func broadcast(_ flag: Bool, from root: Int = 0) throws -> Bool {
    let value = Tensor(scalar: Float(flag ? 1 : 0))
    try broadcast([value], from: root)
    return value.item() != 0
  }

  /// The mean over the ranks of a scalar (e.g. the epoch loss); a CPU tensor, so over Gloo.
  public func mean(_ value: Double) throws -> Double {
    let tensor = Tensor(scalar: value)
    try allReduce([tensor])
    return tensor.item() / Double(worldSize)
  }

  var timeoutMilliseconds: Int64 { Self.milliseconds(timeout) }

  /// Runs one collective (`body` returns whether it succeeded) unless the group is already broken; the first
  /// failure breaks it.
  private func collective(_ operation: String, _ body: () -> Bool) throws {
    if let failure = failureLock.withLock({ failure }) {
      throw DistributedError.collective(operation: operation, message: "the group is broken since \(failure.reason)")
    }
    if body() { return }
    let error = DistributedError.collective(operation: operation, message: Self.lastError())
    failureLock.withLock { if failure == nil { failure = error } }
    throw error
  }

  static func milliseconds(_ duration: Duration) -> Int64 {
    let (seconds, attoseconds) = duration.components
    return seconds * 1000 + attoseconds / 1_000_000_000_000_000
  }

  /// Why `address` names no host (getaddrinfo's reason), nil when it resolves: c10d would only time out on it, after
  /// twice the timeout.
  static func resolutionProblem(_ address: String) -> String? {
    guard !address.isEmpty else { return "it is empty" }
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(address, nil, &hints, &result)
    if let result { freeaddrinfo(result) }
    return status == 0 ? nil : String(cString: gai_strerror(status))
  }

  static func isLoopback(_ address: String) -> Bool {
    address == "localhost" || address.hasPrefix("127.") || address == "::1"
  }

  static func lastError() -> String {
    let message = String(cString: ct_last_error())
    ct_clear_error()
    return message
  }
}
