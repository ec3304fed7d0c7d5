import CTorch

extension Tensor {
  private static func make(
    _ shape: [Int], _ dtype: DType, _ device: Device, _ name: String,
    _ body: (UnsafePointer<Int64>?, Int64, Int32, Int32, Int32) -> ct_tensor?
  ) -> Tensor {
    let sizes = shape.map(Int64.init)
    return wrap(body(sizes, Int64(sizes.count), dtype.rawValue, device.typeCode, device.index), name)
  }

  public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    make(shape, dtype, device, "zeros", ct_zeros)
  }

  public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    make(shape, dtype, device, "ones", ct_ones)
  }

  /// An uninitialised tensor.
  public static func empty(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    make(shape, dtype, device, "empty", ct_empty)
  }

  public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    make(shape, dtype, device, "full") { ct_full($0, $1, value, $2, $3, $4) }
  }

  /// Values `start, start + step, ...` below `end` (`torch.arange`).
  public static func arange(
    _ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .int64, device: Device = .cpu
  ) -> Tensor {
    wrap(ct_arange(start, end, step, dtype.rawValue, device.typeCode, device.index), "arange")
  }

  /// `steps` evenly spaced values from `start` to `end` inclusive.
  public static func linspace(
    _ start: Double, _ end: Double, steps: Int, dtype: DType = .float32, device: Device = .cpu
  ) -> Tensor {
    wrap(ct_linspace(start, end, Int64(steps), dtype.rawValue, device.typeCode, device.index), "linspace")
  }

  /// The identity matrix with `rows` rows and `columns` columns (default square).
  public static func eye(_ rows: Int, _ columns: Int? = nil, dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    wrap(ct_eye(Int64(rows), Int64(columns ?? rows), dtype.rawValue, device.typeCode, device.index), "eye")
  }

  /// Uniform samples in [0, 1).
  public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    make(shape, dtype, device, "rand", ct_rand)
  }

  /// Standard normal samples.
  public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
    make(shape, dtype, device, "randn", ct_randn)
  }

  /// Integers uniformly drawn from `low..<high`.
  public static func randint(
    _ low: Int, _ high: Int, _ shape: [Int], dtype: DType = .int64, device: Device = .cpu
  ) -> Tensor {
    make(shape, dtype, device, "randint") { ct_randint(Int64(low), Int64(high), $0, $1, $2, $3, $4) }
  }

  /// A random permutation of `0..<n`.
  public static func randperm(_ n: Int, dtype: DType = .int64, device: Device = .cpu) -> Tensor {
    wrap(ct_randperm(Int64(n), dtype.rawValue, device.typeCode, device.index), "randperm")
  }

  /// A random permutation of `0..<n` from a fresh CPU generator seeded with `seed`, as
  /// `torch.randperm(n, generator=torch.Generator().manual_seed(seed))` (leaves the global generator alone).
  public static func randperm(_ n: Int, seed: UInt64) -> Tensor {
    wrap(ct_randperm_seeded(Int64(n), seed), "randperm(\(n), seed: \(seed))")
  }

  /// Draws `samples` indices per row from the (unnormalised) probabilities in `self`.
  public func multinomial(_ samples: Int, replacement: Bool = false) -> Tensor {
    wrap(ct_multinomial(handle, Int64(samples), replacement), "multinomial")
  }

  /// Bernoulli draws with the probabilities in `self`.
  public func bernoulli() -> Tensor { wrap(ct_bernoulli(handle), "bernoulli") }

  public static func zeros(like other: Tensor) -> Tensor {
    zeros(other.shape, dtype: other.dtype, device: other.device)
  }
  public static func ones(like other: Tensor) -> Tensor { ones(other.shape, dtype: other.dtype, device: other.device) }
  /// Normal draws with `other`'s shape, dtype, device **and strides**, as `torch.randn_like`: on a transposed
  /// view the values land in memory order, so they differ from a contiguous draw of the same shape.
  public static func randn(like other: Tensor) -> Tensor { wrap(ct_randn_like(other.handle), "randn_like") }
  /// Uniform [0, 1) draws with `other`'s shape, dtype, device and strides, as `torch.rand_like`.
  public static func rand(like other: Tensor) -> Tensor { wrap(ct_rand_like(other.handle), "rand_like") }
  public static func full(like other: Tensor, _ value: Double) -> Tensor {
    full(other.shape, value, dtype: other.dtype, device: other.device)
  }
}

extension Tensor {
  /// This tensor with another dtype and/or device (a no-op returning `self`'s data when nothing changes,
  /// unless `copy` is true).
  public func to(dtype: DType? = nil, device: Device? = nil, copy: Bool = false) -> Tensor {
    let dtype = dtype ?? self.dtype
    let device = device ?? self.device
    return wrap(ct_to(handle, dtype.rawValue, device.typeCode, device.index, copy), "to(\(dtype), \(device))")
  }

  public func to(_ dtype: DType) -> Tensor { to(dtype: dtype) }
  public func to(_ device: Device) -> Tensor { to(device: device) }

  /// A contiguous tensor with the same values (`self` when already contiguous).
  public func contiguous() -> Tensor { wrap(ct_contiguous(handle), "contiguous") }

  /// A copy with its own storage (differentiable, like `torch.clone`).
  public func clone() -> Tensor { wrap(ct_clone(handle), "clone") }
}
