import CTorch

/// Process-wide libtorch settings: version, random seed, intra-op threads.
public enum Torch {
  /// The version of the libtorch this build links, e.g. "2.11.0".
  public static var version: String { String(cString: ct_version()) }

  /// Seeds every libtorch random generator, like `torch.manual_seed`: the same seed followed by the same
  /// sequence of draws gives the same numbers as PyTorch.
  public static func manualSeed(_ seed: UInt64) {
    check(ct_manual_seed(seed), "manual_seed(\(seed))")
  }

  /// Threads libtorch uses inside one operation (`torch.get_num_threads` / `torch.set_num_threads`).
  ///
  /// Setting a non-positive count is a programming error and traps; a count that comes from the user goes
  /// through `setIntraOpThreads(_:)`, which throws.
  public static var intraOpThreads: Int {
    get {
      let count = ct_get_num_threads()
      if count < 0 { torchFailure("get_num_threads") }
      return Int(count)
    }
    set {
      precondition(newValue > 0, "intraOpThreads must be positive, got \(newValue)")
      check(ct_set_num_threads(Int32(newValue)), "set_num_threads(\(newValue))")
    }
  }

  /// Sets the intra-op thread count from a user's setting; throws `TorchError` (with libtorch's message, or
  /// saying what to pass) when libtorch refuses it.
  public static func setIntraOpThreads(_ count: Int) throws {
    guard count > 0, let value = Int32(exactly: count) else {
      throw TorchError(operation: "set_num_threads(\(count))", message: "give a positive number of threads")
    }
    if ct_set_num_threads(value) < 0 { throw TorchError.last("set_num_threads(\(count))") }
  }

  /// Limits operations started from the calling thread to `count` intra-op threads, leaving other threads
  /// alone (background data workers use 1 so they do not oversubscribe the cores, as PyTorch's DataLoader
  /// workers do).
  public static func setIntraOpThreadsForCurrentThread(_ count: Int) {
    precondition(count > 0, "the thread count must be positive")
    _ = ct_set_thread_intraop_threads(Int32(count))
  }

  /// Number of tensor handles alive right now (every `Tensor` holds one); for leak checks.
  public static var liveTensorCount: Int { Int(ct_live_handles()) }
}
