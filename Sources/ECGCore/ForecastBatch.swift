import Torch

/// A batch of the forecasting task (pipeline.md §6.2): ECG-Byte contexts and their continuations, with what
/// turns symbols back into a signal.
///
/// Reference batch keys: `tgt_ids`, `labels`, `min`, `max`, `orig_len`, `signal`, `report`.
public struct ForecastBatch: Sendable {
  /// `tgt_ids` int64 [B, Tc]: the context (bos …); `labels` int64 [B, Tn]: the continuation (… eos, no −100);
  /// `signal` float32 [B, S, L] with `--signal_head`.
  public var tokens: TokenBatch
  /// `min` float64 [B]: each window's minimum (before normalisation).
  public var minimum: Tensor
  /// `max` float64 [B]: each window's maximum.
  public var maximum: Tensor
  /// `orig_len` int64 [B]: the length n of the whole sequence (context + continuation).
  public var originalLength: Tensor

  public init(tokens: TokenBatch, minimum: Tensor, maximum: Tensor, originalLength: Tensor) {
    self.tokens = tokens
    self.minimum = minimum
    self.maximum = maximum
    self.originalLength = originalLength
  }

  public var batchSize: Int { tokens.batchSize }

  public func to(_ device: Device) -> ForecastBatch {
    ForecastBatch(
      tokens: tokens.to(device), minimum: minimum.transferred(to: device), maximum: maximum.transferred(to: device),
      originalLength: originalLength.transferred(to: device))
  }
}
