import Torch

/// What conditions a generative signal model (`--condition`).
public enum SignalCondition: Sendable {
  /// `--condition lead`: the conditioning lead, float32 [B, L].
  case lead(Tensor)
  /// `--condition text` (and MERL's report): tokenised reports.
  case text(TextCondition)

  public func to(_ device: Device) -> SignalCondition {
    switch self {
    case .lead(let lead): .lead(lead.transferred(to: device))
    case .text(let text): .text(text.to(device))
    }
  }
}

/// A batch of signal windows for the continuous networks (DiT, NEPA, MERL, MLAE, MTAE, ST-MEM).
///
/// Reference batch keys: `signal` (`series` for MLAE/MTAE/ST-MEM), `padding_mask`, `condition`,
/// `modality_mask`, `12_lead_gt`.
public struct SignalBatch: Sendable {
  /// `signal` float32 [B, C, L] (C = 12, or 7 with the lead condition).
  public var signal: Tensor
  /// `padding_mask` bool [B, L], true = padded; nil when nothing is padded.
  public var paddingMask: Tensor?
  /// `condition`: the lead or the tokenised report; nil when unconditional.
  public var condition: SignalCondition?
  /// `modality_mask` (NEPA) bool [B, L]; nil when absent.
  public var modalityMask: Tensor?
  /// `12_lead_gt` float32 [B, 12, L]: the full 12-lead window, carried for generation and reconstruction
  /// evaluation.
  public var groundTruth12Lead: Tensor?

  public init(
    signal: Tensor, paddingMask: Tensor? = nil, condition: SignalCondition? = nil, modalityMask: Tensor? = nil,
    groundTruth12Lead: Tensor? = nil
  ) {
    self.signal = signal
    self.paddingMask = paddingMask
    self.condition = condition
    self.modalityMask = modalityMask
    self.groundTruth12Lead = groundTruth12Lead
  }

  public var batchSize: Int { signal.shape[0] }

  public func to(_ device: Device) -> SignalBatch {
    SignalBatch(
      signal: signal.transferred(to: device), paddingMask: paddingMask?.transferred(to: device),
      condition: condition?.to(device), modalityMask: modalityMask?.transferred(to: device),
      groundTruth12Lead: groundTruth12Lead?.transferred(to: device))
  }
}
