import Torch

/// Fixed 1-D sin-cos position tables of the MAE family (models.md §9.2).
///
/// For width D and n positions: ω_i = 1 / 10000^(i / (D/2)), i = 0..D/2−1, and row p =
/// [sin(p·ω_0 … p·ω_{D/2−1}), cos(p·ω_0 … p·ω_{D/2−1})] — sines first (unlike the DiT time embedding),
/// every step in float32 as the reference computes it (float64 differs in the last bit).
enum SinCosPositionTable {
  /// Zero rows around the n position rows: MTAE/MLAE prepend one (`cls`), ST-MEM one before and one after (`sep`).
  enum Padding {
    case cls
    case sep
  }

  /// [1, n + 1, D] (`cls`) or [1, n + 2, D] (`sep`).
  static func make(width: Int, positions: Int, padding: Padding) -> Tensor {
    precondition(width % 2 == 0, "a sin-cos table needs an even width, got \(width)")
    let half = width / 2
    let exponents = Tensor.arange(0, Double(half), dtype: .float32) / Double(half)
    let omegas = 1.0 / Tensor.full([half], 10000).pow(exponents)
    let angles = Tensor.arange(0, Double(positions), dtype: .float32).outer(omegas)  // [n, D/2]
    let zero = Tensor.zeros([1, width])
    var rows = [zero, Tensor.cat([angles.sin(), angles.cos()], dim: 1)]
    if padding == .sep { rows.append(zero) }
    return Tensor.cat(rows, dim: 0).unsqueeze(0)
  }
}
