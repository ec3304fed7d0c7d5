import Foundation
import Torch

/// The sinusoidal time embedding of DiT and the signal head (models.md §1.5).
///
/// `t` [B] float → [B, dim]: `[cos(t·f), sin(t·f)]` (cosines first) with `f_i = exp(−ln(10000)·i/half)`,
/// `half = ⌊dim/2⌋`, and a zero column appended when `dim` is odd.
func sinusoidalTimeEmbedding(_ t: Tensor, dim: Int) -> Tensor {
  let half = dim / 2
  let exponents = Tensor.arange(0, Double(half), dtype: .float32, device: t.device)
  let frequencies = (exponents * (-Foundation.log(10000.0) / Double(half))).exp()
  let arguments = t.to(.float32).unsqueeze(1) * frequencies.unsqueeze(0)
  var embedding = Tensor.cat([arguments.cos(), arguments.sin()], dim: -1)
  if dim % 2 == 1 { embedding = Tensor.cat([embedding, Tensor.zeros([t.size(0), 1], device: t.device)], dim: -1) }
  return embedding
}

/// `time_mlp`: Linear(d, 4d) → SiLU → Linear(4d, d) (keys `time_mlp.0.*`, `time_mlp.2.*`), applied to the
/// sinusoidal embedding of the time (DiT §3.3, signal head §6.3).
func makeTimeMLP(_ dModel: Int) -> Sequential {
  Sequential(Linear(dModel, 4 * dModel), SiLU(), Linear(4 * dModel, dModel))
}
