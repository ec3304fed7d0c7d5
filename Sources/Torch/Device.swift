import CTorch

/// Where a tensor's memory lives.
public enum Device: Equatable, Hashable, Sendable, CustomStringConvertible {
  case cpu
  /// A CUDA GPU by index; usable when `Device.isCUDAAvailable`.
  case cuda(Int)

  /// Whether libtorch's CUDA library could be loaded and sees at least one GPU. The first query loads
  /// `libtorch_cuda.so` from the libtorch folder (nothing CUDA-specific is needed at build time).
  public static var isCUDAAvailable: Bool {
    defer { ct_clear_error() }
    return ct_cuda_load() == 1
  }

  /// Number of visible CUDA devices (0 without CUDA).
  public static var cudaDeviceCount: Int {
    defer { ct_clear_error() }
    return Int(ct_cuda_device_count())
  }

  /// Waits for all queued work on a CUDA device to finish (for timing); nothing to wait for on the CPU.
  /// Throws `TorchError` when CUDA is not available or the device index does not exist.
  public static func synchronize(_ device: Device) throws {
    guard case .cuda(let index) = device else { return }
    if ct_cuda_synchronize(Int32(index)) < 0 { throw TorchError.last("cuda synchronize (\(device))") }
  }

  /// Parses `cpu`, `cuda` or `cuda:N`.
  public init?(parsing text: String) {
    switch text {
    case "cpu": self = .cpu
    case "cuda": self = .cuda(0)
    default:
      guard text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 else { return nil }
      self = .cuda(index)
    }
  }

  public var description: String {
    switch self {
    case .cpu: "cpu"
    case .cuda(let index): "cuda:\(index)"
    }
  }

  var typeCode: Int32 {
    switch self {
    case .cpu: 0
    case .cuda: 1
    }
  }

  var index: Int32 {
    switch self {
    case .cpu: 0
    case .cuda(let index): Int32(index)
    }
  }

  init(typeCode: Int32, index: Int32) {
    self = typeCode == 1 ? .cuda(Int(index)) : .cpu
  }
}
