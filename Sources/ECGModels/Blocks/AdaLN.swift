import Torch

/// Adaptive layer-norm helpers shared by DiT (§3.3) and the signal head (§6.3).
enum AdaLN {
  /// `x·(1 + scale) + shift`, with `shift`, `scale` [B, d] broadcast over the length of `x` [B, L, d].
  static func modulate(_ x: Tensor, shift: Tensor, scale: Tensor) -> Tensor {
    x * (scale.unsqueeze(1) + 1) + shift.unsqueeze(1)
  }

  /// LayerNorm over the last dimension without parameters (`nn.LayerNorm(d, elementwise_affine=False)`).
  static func norm(_ x: Tensor) -> Tensor {
    Functional.layerNorm(x, normalizedShape: [x.size(-1)])
  }

  /// `SiLU → Linear(d, chunks·d)` (keys `.1.weight`, `.1.bias`), zero-initialised after PyTorch's default draws:
  /// the adaLN-zero modulation.
  static func zeroModulation(_ dModel: Int, chunks: Int) -> Sequential {
    let linear = Linear(dModel, chunks * dModel)
    Init.zeros(linear.weight)
    if let bias = linear.bias { Init.zeros(bias) }
    return Sequential(SiLU(), linear)
  }

  /// Splits a modulation [B, k·d] into its k d-wide chunks, in order.
  static func chunks(_ modulation: Tensor, _ count: Int) -> [Tensor] {
    modulation.chunk(count, dim: -1)
  }
}

/// Zeroes a Linear layer's weight and bias (the zero-initialised output projections).
func zeroInitialise(_ linear: Linear) {
  Init.zeros(linear.weight)
  if let bias = linear.bias { Init.zeros(bias) }
}

/// Positions `0..<length` as an int64 vector on `device`, for position-embedding lookups.
func positions(_ length: Int, device: Device) -> Tensor {
  Tensor.arange(0, Double(length), dtype: .int64, device: device)
}
