import Torch

/// Random masking of the MAE family (models.md §9.3), over the last token axis of `tokens` [..., n, D].
///
/// keep = ⌊n·(1 − ratio)⌋ (double precision); noise = rand([..., n]) from `draws`; ids_shuffle = argsort(noise);
/// ids_restore = argsort(ids_shuffle); kept = the tokens at ids_shuffle[..., :keep] (in order of increasing noise);
/// mask = 1 for hidden, 0 for kept tokens, in the original positions.
struct RandomMasking {
  /// [..., keep, D]
  let kept: Tensor
  /// float [..., n]: 1 = masked.
  let mask: Tensor
  /// int64 [..., n]
  let idsRestore: Tensor

  /// The number of tokens kept out of `count` at `ratio` (`int(n * (1 - mask_ratio))`).
  static func keptCount(_ count: Int, ratio: Double) -> Int { Int((Double(count) * (1 - ratio)).rounded(.down)) }

  init(_ tokens: Tensor, ratio: Double, draws: RandomDraws) {
    let shape = tokens.shape
    let count = shape[shape.count - 2]
    let width = shape[shape.count - 1]
    let leading = Array(shape.dropLast(2))
    let keep = Self.keptCount(count, ratio: ratio)
    let noise = draws.rand(leading + [count], device: tokens.device)
    let idsShuffle = noise.argsort(dim: -1)
    idsRestore = idsShuffle.argsort(dim: -1)
    let idsKeep = idsShuffle.narrow(dim: -1, start: 0, length: keep)
    kept = tokens.gather(dim: -2, index: idsKeep.unsqueeze(-1).expand(leading + [keep, width]))
    let ordered = Tensor.ones(leading + [count], device: tokens.device)
    ordered.narrow(dim: -1, start: 0, length: keep).zero()
    mask = ordered.gather(dim: -1, index: idsRestore)
  }

  /// No masking (`mask_ratio` 0 without a draw): every token kept in order, mask zeros, identity restore.
  init(unmasked tokens: Tensor) {
    let shape = tokens.shape
    let count = shape[shape.count - 2]
    let leading = Array(shape.dropLast(2))
    kept = tokens
    mask = Tensor.zeros(leading + [count], device: tokens.device)
    idsRestore = Tensor.arange(0, Double(count), dtype: .int64, device: tokens.device).expand(leading + [count])
  }
}

/// The MAE-family reconstruction loss (models.md §9.5): per-patch mean of (pred − target)² over the patch's values,
/// then Σ(per-patch · mask) / Σ mask. With `normalizePatches` (`norm_pix_loss`) the target is standardised per
/// patch with the unbiased variance + 1e-6.
/// - Parameters: pred, target [..., n, P]; mask [..., n] (1 = masked).
func maskedPatchLoss(pred: Tensor, target: Tensor, mask: Tensor, normalizePatches: Bool) -> Tensor {
  var target = target
  if normalizePatches {
    let mean = target.mean(dim: -1, keepDim: true)
    let variance = target.variance(dims: [-1], keepDim: true)
    target = (target - mean) / (variance + 1e-6).sqrt()
  }
  let perPatch = (pred - target).square().mean(dim: -1)
  return (perPatch * mask).sum() / mask.sum()
}
