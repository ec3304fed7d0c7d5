import CTorch

/// A CPU random generator of its own (`torch.Generator().manual_seed(seed)`): its draws equal those of the
/// default generator after `Torch.manualSeed(seed)`, but draws elsewhere (other threads, other code) do not move
/// its stream, and its own draws leave the default generator alone.
public final class CPUGenerator: @unchecked Sendable {
  private let handle: ct_generator

  public init(seed: UInt64) {
    guard let handle = ct_cpu_generator_new(seed) else { torchFailure("a CPU generator seeded \(seed)") }
    self.handle = handle
  }

  deinit { ct_generator_free(handle) }

  /// Standard normal draws of `shape` on the CPU (`torch.randn(shape, generator=g)`).
  public func randn(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    wrap(ct_randn_from(handle, shape.map(Int64.init), Int64(shape.count), dtype.rawValue), "randn \(shape)")
  }

  /// Uniform [0, 1) draws of `shape` on the CPU (`torch.rand(shape, generator=g)`).
  public func rand(_ shape: [Int], dtype: DType = .float32) -> Tensor {
    wrap(ct_rand_from(handle, shape.map(Int64.init), Int64(shape.count), dtype.rawValue), "rand \(shape)")
  }
}
