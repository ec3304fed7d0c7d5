import ECGCore

extension ModelInput {
  /// Every tensor of the batch by its reference key, with its shape (what `--dev` prints).
  public var tensorShapes: [String: [Int]] {
    var shapes: [String: [Int]] = [:]
    switch self {
    case .signal(let batch):
      shapes["signal"] = batch.signal.shape
      shapes["padding_mask"] = batch.paddingMask?.shape
      shapes["modality_mask"] = batch.modalityMask?.shape
      shapes["12_lead_gt"] = batch.groundTruth12Lead?.shape
      switch batch.condition {
      case .lead(let lead): shapes["condition"] = lead.shape
      case .text(let text):
        shapes["condition.input_ids"] = text.inputIDs.shape
        shapes["condition.attention_mask"] = text.attentionMask.shape
        shapes["condition.token_type_ids"] = text.tokenTypeIDs.shape
      case nil: break
      }
    case .tokens(let batch):
      shapes["tgt_ids"] = batch.tgtIDs.shape
      shapes["labels"] = batch.labels?.shape
      shapes["key_padding_mask"] = batch.keyPaddingMask?.shape
      shapes["signal"] = batch.signal?.shape
    case .patches(let batch):
      shapes["patches"] = batch.patches.shape
      shapes["visible_mask"] = batch.visibleMask.shape
      shapes["targets"] = batch.targets?.shape
    }
    return shapes
  }
}
