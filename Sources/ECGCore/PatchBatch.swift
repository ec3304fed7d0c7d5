import Torch

/// A batch of patch sequences for MAE-ViT (one patch per lead).
///
/// Reference batch keys: `patches`, `visible_mask`, `targets`.
public struct PatchBatch: Sendable {
  /// `patches` float32 [B, N, P].
  public var patches: Tensor
  /// `visible_mask` float32 [B, N]: 1 = visible, 0 = hidden.
  public var visibleMask: Tensor
  /// `targets` float32 [B, N, P]; nil means the patches themselves.
  public var targets: Tensor?
  /// `loss_on_masked_only`: the loss covers only hidden patches (the reference default) or all.
  public var lossOnMaskedOnly: Bool

  public init(patches: Tensor, visibleMask: Tensor, targets: Tensor? = nil, lossOnMaskedOnly: Bool = true) {
    self.patches = patches
    self.visibleMask = visibleMask
    self.targets = targets
    self.lossOnMaskedOnly = lossOnMaskedOnly
  }

  public var batchSize: Int { patches.shape[0] }

  public func to(_ device: Device) -> PatchBatch {
    PatchBatch(
      patches: patches.transferred(to: device), visibleMask: visibleMask.transferred(to: device),
      targets: targets?.transferred(to: device), lossOnMaskedOnly: lossOnMaskedOnly)
  }
}
