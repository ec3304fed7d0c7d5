import CTorch
import Foundation

/// Which implementation `Functional.scaledDotProductAttention` runs.
///
/// The default comes from the environment variable `ECG_ATTENTION_KERNEL` (`automatic`, `libtorch` or
/// `fused`), read once; `automatic` when unset. Set `ECG_ATTENTION_KERNEL=libtorch` to force libtorch's
/// composite path everywhere when debugging.
public enum AttentionKernel: String, Sendable, CaseIterable {
  /// The fused CPU kernel where it is measured to be faster — on the CPU with dropout > 0 in training,
  /// where libtorch falls back to its math path — and libtorch's `scaled_dot_product_attention` otherwise.
  case automatic
  /// Always libtorch's `scaled_dot_product_attention` (its flash kernel, or its math path with dropout).
  case libtorch
  /// The fused CPU kernel wherever it applies (see `FusedAttention.applies`), libtorch otherwise.
  case fused

  /// The process-wide default: `ECG_ATTENTION_KERNEL`, or `automatic`.
  public static let environmentDefault: AttentionKernel = {
    guard let value = ProcessInfo.processInfo.environment["ECG_ATTENTION_KERNEL"], !value.isEmpty else {
      return .automatic
    }
    guard let kernel = AttentionKernel(rawValue: value.lowercased()) else {
      fatalError("ECG_ATTENTION_KERNEL=\(value) is not one of automatic, libtorch, fused")
    }
    return kernel
  }()
}

/// Fused CPU scaled-dot-product attention with dropout applied inside the kernel
/// (`Sources/CTorch/fused_attention.cpp`): flash-attention tiling with an online softmax, the dropout
/// keep-mask from a Philox counter-based generator regenerated in backward, so nothing of size
/// [Lq, Lk] is stored. Differentiable in `query`, `key` and `value` (not in `mask`).
///
/// Numerical contract: `softmax(q kᵀ · scale + mask) · v` with dropout on the probabilities (kept with
/// probability 1 − p, then scaled by 1 / (1 − p), the distribution of PyTorch's dropout; not the same
/// bits as libtorch's math path, which draws its mask from another generator). With p = 0 it matches
/// libtorch to float rounding. Rows whose keys are all masked give zeros and zero gradients, not NaN.
public enum FusedAttention {
  /// The instruction set of the kernel's float32 row operations on this CPU: `avx512`, `avx2` or `scalar`
  /// (portable code). `ECG_FUSED_ATTENTION_ISA=scalar|avx2|avx512` lowers it, for tests.
  public static var instructionSet: String {
    switch ct_fused_sdpa_vectorized() {
    case 2: "avx512"
    case 1: "avx2"
    default: "scalar"
    }
  }

  /// Whether the fused kernel handles these arguments: CPU float32/float64 [B, heads, L, E] tensors of one
  /// dtype with equal batch and head sizes, a CPU mask of rank ≤ 4 that needs no gradient, 0 ≤ dropout < 1.
  public static func applies(query: Tensor, key: Tensor, value: Tensor, mask: Tensor?, dropout: Double) -> Bool {
    guard query.device == .cpu, key.device == .cpu, value.device == .cpu else { return false }
    guard query.dtype == .float32 || query.dtype == .float64, key.dtype == query.dtype, value.dtype == query.dtype
    else { return false }
    guard query.rank == 4, key.rank == 4, value.rank == 4 else { return false }
    guard key.size(0) == query.size(0), value.size(0) == query.size(0), key.size(1) == query.size(1),
      value.size(1) == query.size(1), key.size(3) == query.size(3), value.size(2) == key.size(2)
    else { return false }
    if let mask {
      guard mask.device == .cpu, mask.rank <= 4, !mask.requiresGrad else { return false }
      guard mask.dtype == .bool || mask.dtype.isFloatingPoint else { return false }
    }
    return dropout >= 0 && dropout < 1
  }

  /// Attention of `query` [B, h, Lq, E] over `key` [B, h, Lk, E] and `value` [B, h, Lk, Ev] → [B, h, Lq, Ev]
  /// (stored as [B, Lq, h, Ev], so `transposed(1, 2).reshape(B, Lq, h · Ev)` is a view).
  /// - Parameters:
  ///   - mask: boolean (true = may attend) or additive float, broadcastable to [B, h, Lq, Lk].
  ///   - seed: the Philox seed and offset of the dropout mask; `nil` draws them from libtorch's default CPU
  ///     generator (so `Torch.manualSeed` makes the mask reproducible).
  public static func attention(
    query: Tensor, key: Tensor, value: Tensor, mask: Tensor? = nil, dropout: Double = 0, isCausal: Bool = false,
    scale: Double? = nil, seed: (seed: UInt64, offset: UInt64)? = nil
  ) -> Tensor {
    let handle: ct_tensor?
    if let seed {
      let pair = [seed.seed, seed.offset]
      handle = ct_fused_sdpa(
        query.handle, key.handle, value.handle, mask?.handle, dropout, isCausal, scale ?? 0, pair)
    } else {
      handle = ct_fused_sdpa(query.handle, key.handle, value.handle, mask?.handle, dropout, isCausal, scale ?? 0, nil)
    }
    return wrap(handle, "fused attention of \(query.shape), \(key.shape), \(value.shape)")
  }

  /// The dropout keep-mask (bool [B, h, Lq, Lk], true = kept) that `attention(..., seed:)` applies for this
  /// seed: for tests and debugging, which can then rebuild the kernel's result from composite operations.
  public static func keepMask(
    batch: Int, heads: Int, queryLength: Int, keyLength: Int, dropout: Double, seed: (seed: UInt64, offset: UInt64)
  ) -> Tensor {
    wrap(
      ct_fused_sdpa_keep_mask(
        Int64(batch), Int64(heads), Int64(queryLength), Int64(keyLength), dropout, seed.seed, seed.offset),
      "fused attention keep mask [\(batch), \(heads), \(queryLength), \(keyLength)]")
  }
}
