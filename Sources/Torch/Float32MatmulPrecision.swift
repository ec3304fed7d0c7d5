import CTorch

/// PyTorch's `torch.set_float32_matmul_precision`: how float32 matrix products may be computed. On CUDA, `high`
/// lets them use TF32 tensor cores (10-bit mantissa inputs, float32 accumulation); the CPU ignores it.
public enum Float32MatmulPrecision: String, CaseIterable, Sendable {
  /// Plain float32 (PyTorch's default).
  case highest
  /// TF32 allowed: what the reference's pretraining sets.
  case high
  /// bfloat16-based products allowed.
  case medium

  /// libtorch's process-wide setting.
  public static var current: Float32MatmulPrecision {
    switch ct_float32_matmul_precision() {
    case 0: .highest
    case 1: .high
    default: .medium
    }
  }

  /// Makes this libtorch's process-wide setting.
  public func makeCurrent() {
    let status = ct_set_float32_matmul_precision(rawValue)
    precondition(status == 0, "libtorch rejected float32 matmul precision \(rawValue)")
  }
}
