import Torch

/// A batch of ECG-Byte token sequences for the discrete decoder (and its signal head).
///
/// Reference batch keys: `tgt_ids`, `labels`, `tgt_key_padding_mask`, `signal`.
public struct TokenBatch: Sendable {
  /// `tgt_ids` int64 [B, T]: the padded sequences.
  public var tgtIDs: Tensor
  /// `labels` int64 [B, T]: targets with −100 where no loss is taken; nil for inference.
  public var labels: Tensor?
  /// `tgt_key_padding_mask` bool [B, T], true = padding; nil when not passed.
  public var keyPaddingMask: Tensor?
  /// `signal` float32 [B, S, L] for the flow-matching signal head (`--signal_head`).
  public var signal: Tensor?

  public init(tgtIDs: Tensor, labels: Tensor? = nil, keyPaddingMask: Tensor? = nil, signal: Tensor? = nil) {
    self.tgtIDs = tgtIDs
    self.labels = labels
    self.keyPaddingMask = keyPaddingMask
    self.signal = signal
  }

  public var batchSize: Int { tgtIDs.shape[0] }

  public func to(_ device: Device) -> TokenBatch {
    TokenBatch(
      tgtIDs: tgtIDs.transferred(to: device), labels: labels?.transferred(to: device),
      keyPaddingMask: keyPaddingMask?.transferred(to: device), signal: signal?.transferred(to: device))
  }
}
