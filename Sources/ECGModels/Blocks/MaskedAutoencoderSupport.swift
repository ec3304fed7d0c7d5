import ECGCore
import Torch

/// What MTAE, MLAE and ST-MEM return from a training forward (models.md §1.8, §10–§12).
public struct MaskedAutoencoderOutput {
  /// Scalar reconstruction loss over the masked patches (§9.5).
  public let loss: Tensor
  /// `out`: decoder latents before `decoder_norm` — MTAE/MLAE [B, n+1, d_dec], ST-MEM [B, 12, n+2, d_dec].
  public let out: Tensor
  /// Predicted patches: MTAE [B, n, 12·p], MLAE [B, 12, L], ST-MEM [B, 12, n, p].
  public let pred: Tensor
  /// float, 1 = masked: [B, n] (ST-MEM [B, 12, n]).
  public let mask: Tensor
  /// int64, the un-shuffling permutation of the masking, same shape as `mask`.
  public let idsRestore: Tensor
  /// Encoder output after its final norm (with the cls/SEP tokens).
  public let latent: Tensor
}

/// The patch-size rule P(n) of the reference's builder for MTAE and ST-MEM (models.md §2).
///
/// Among the divisors p of n with 16 ≤ n/p ≤ 64, the one minimising |n/p − 32| (ties: the smallest p); if none
/// qualifies, the divisor closest to ⌊√(n/32)⌋ (ties: the smallest). 2500 → 100, 1250 → 50, 500 → 20.
public func referencePatchSize(segmentLength n: Int) -> Int {
  precondition(n > 0, "segment length must be positive, got \(n)")
  let divisors = (1...n).filter { n % $0 == 0 }
  let qualifying = divisors.filter { (16...64).contains(n / $0) }
  if let best = qualifying.min(by: { abs(n / $0 - 32) < abs(n / $1 - 32) }) { return best }
  let target = Int(Double(n / 32).squareRoot().rounded(.down))
  return divisors.min(by: { abs($0 - target) < abs($1 - target) })!
}

/// `initialize_weights`' `self.apply(_init_weights)` of the MAE family (models.md §9.4): every Linear gets a
/// xavier-uniform weight and a zero bias, every LayerNorm weight 1 and bias 0, visiting submodules depth first in
/// registration order **without** de-duplication, as `Module.apply` does — so a module registered twice (the
/// aliased `to_patch_embedding`) is initialised twice, drawing twice (models.md §14).
func applyMAEFamilyInit(_ module: Module) {
  for entry in module.registeredEntries() {
    guard case .child(_, let child) = entry else { continue }
    applyMAEFamilyInit(child)
  }
  if let linear = module as? Linear {
    Init.xavierUniform(linear.weight)
    if let bias = linear.bias { Init.zeros(bias) }
  } else if let norm = module as? LayerNorm {
    if let weight = norm.weight { Init.ones(weight) }
    if let bias = norm.bias { Init.zeros(bias) }
  }
}

/// Registration entries with `children` inserted before the child named `name` (for modules whose reference
/// attribute names are computed, such as `block0` … `block11`).
func inserting(_ children: [(String, Module)], before name: String, in entries: [ModuleEntry]) -> [ModuleEntry] {
  var entries = entries
  let index =
    entries.firstIndex {
      if case .child(let childName, _) = $0 { return childName == name }
      return false
    } ?? entries.endIndex
  entries.insert(contentsOf: children.map { .child(name: $0.0, module: $0.1) }, at: index)
  return entries
}
