import ECGCore
import Torch

/// One batch being built by a task in a loader worker: a typed buffer per batch key (the reference's key in
/// quotes), filled item by item straight into the batch's tensors, plus the items' ids and reports.
struct BatchAssembly {
  /// `signal` (`series` for MLAE/MTAE/ST-MEM, `patches` for MAE; the signal head's `signal` with tokens).
  var signal: RowBuffer<Float>
  /// `condition` as a lead [L].
  var conditionLead: RowBuffer<Float>
  /// `condition` as a tokenised report: `input_ids`, `attention_mask`, `token_type_ids` [T].
  var textInputIDs: RowBuffer<Int64>
  var textAttentionMask: RowBuffer<Int64>
  var textTokenTypeIDs: RowBuffer<Int64>
  /// `12_lead_gt` [12, L].
  var groundTruth: RowBuffer<Float>
  /// `visible_mask` [N].
  var visibleMask: RowBuffer<Float>
  /// `tgt_ids` [T].
  var tokenIDs: RowBuffer<Int64>
  /// `labels` [T].
  var labels: RowBuffer<Int64>
  /// `min`, `max` (float64) and `orig_len` of forecasting items.
  var minimum: [Double] = []
  var maximum: [Double] = []
  var originalLength: [Int64] = []
  private(set) var ids: [String] = []
  private(set) var reports: [String] = []

  init(capacity: Int, signalKey: String = "signal") {
    signal = RowBuffer(signalKey, capacity: capacity)
    conditionLead = RowBuffer("condition", capacity: capacity)
    textInputIDs = RowBuffer("condition.input_ids", capacity: capacity)
    textAttentionMask = RowBuffer("condition.attention_mask", capacity: capacity)
    textTokenTypeIDs = RowBuffer("condition.token_type_ids", capacity: capacity)
    groundTruth = RowBuffer("12_lead_gt", capacity: capacity)
    visibleMask = RowBuffer("visible_mask", capacity: capacity)
    tokenIDs = RowBuffer("tgt_ids", capacity: capacity)
    labels = RowBuffer("labels", capacity: capacity)
  }

  /// Items completed so far.
  var count: Int { ids.count }

  /// Adds one item: `body` appends its rows; if it throws, the rows it wrote are dropped and the error
  /// propagates, so every key keeps one row per completed item.
  mutating func addItem(id: String, report: String, _ body: (inout BatchAssembly) throws -> Void) throws {
    do {
      try body(&self)
    } catch {
      let n = ids.count
      signal.truncate(to: n)
      conditionLead.truncate(to: n)
      groundTruth.truncate(to: n)
      visibleMask.truncate(to: n)
      textInputIDs.truncate(to: n)
      textAttentionMask.truncate(to: n)
      textTokenTypeIDs.truncate(to: n)
      tokenIDs.truncate(to: n)
      labels.truncate(to: n)
      minimum.removeLast(Swift.max(0, minimum.count - n))
      maximum.removeLast(Swift.max(0, maximum.count - n))
      originalLength.removeLast(Swift.max(0, originalLength.count - n))
      throw error
    }
    ids.append(id)
    reports.append(report)
  }

  /// Appends a tokenised report as the `condition` dict's three keys.
  mutating func appendText(_ text: TextTokens, id: String) throws {
    let shape = [text.count]
    try textInputIDs.append(text.inputIDs, shape: shape, id: id)
    try textAttentionMask.append(text.attentionMask, shape: shape, id: id)
    try textTokenTypeIDs.append(text.tokenTypeIDs, shape: shape, id: id)
  }

  /// The tokenised reports stacked [B, T], when items carried them.
  var textCondition: TextCondition? {
    guard let inputIDs = textInputIDs.stacked(), let attention = textAttentionMask.stacked(),
      let types = textTokenTypeIDs.stacked()
    else { return nil }
    return TextCondition(inputIDs: inputIDs, attentionMask: attention, tokenTypeIDs: types)
  }
}
