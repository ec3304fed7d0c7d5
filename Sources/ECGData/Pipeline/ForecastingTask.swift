import ECGCore
import ECGTokenizer
import Torch

/// The reference's `forecasting` task on ECG-Byte sequences (pipeline.md §6.2).
public struct ForecastingTask: Sendable {
  /// Share of the sequence to forecast (`--forecast_ratio`).
  public var ratio: Double
  public var specialTokens: ECGByteTokenizer.SpecialTokens

  public init(ratio: Double, specialTokens: ECGByteTokenizer.SpecialTokens) {
    precondition(ratio > 0 && ratio < 1, "the forecast ratio must be in (0, 1), got \(ratio)")
    self.ratio = ratio
    self.specialTokens = specialTokens
  }

  /// Evaluation split of an unpadded sequence s (bos … eos) of length n: the context s[0..<split] and the
  /// continuation s[split..<n], with split = ⌊n·(1 − ratio)⌋.
  public func split(_ sequence: [TokenID]) -> (context: [TokenID], target: [TokenID]) {
    let cut = Int((Double(sequence.count) * (1 - ratio)).rounded(.down))
    return (Array(sequence[..<cut]), Array(sequence[cut...]))
  }

  /// Training labels for a padded sequence: the first ⌊m·(1 − ratio)⌋ non-pad positions are not
  /// predicted (−100), and pad and bos never are; the rest are the sequence itself.
  public func trainingLabels(_ sequence: [TokenID]) -> [Int64] {
    var labels = sequence.map(Int64.init)
    if let first = sequence.firstIndex(where: { $0 != specialTokens.pad }) {
      let nonPad = sequence.count - first
      let hidden = Int((Double(nonPad) * (1 - ratio)).rounded(.down))
      for i in first..<(first + hidden) { labels[i] = -100 }
    }
    for (i, id) in sequence.enumerated() where id == specialTokens.pad || id == specialTokens.bos { labels[i] = -100 }
    return labels
  }

  /// The evaluation batch of `windows` (the reference evaluates one window per batch): `tgt_ids` = contexts,
  /// `labels` = continuations, `min`, `max`, `orig_len`, and `signal` with the signal head. Windows whose
  /// contexts or continuations differ in length cannot share a batch (as with `default_collate`): throws
  /// `SampleError` naming the first that does not fit.
  public func evaluationBatch(
    for windows: [ECGWindow], representation: SymbolicRepresentation
  ) throws -> Batch<ForecastBatch> {
    guard !windows.isEmpty else { throw SampleError(id: "batch", reason: "no windows to forecast") }
    var unpadded = representation
    unpadded.training = false
    var assembly = BatchAssembly(capacity: windows.count)
    for window in windows {
      let built = unpadded.apply(window)
      let (context, target) = split(built.sequence)
      try assembly.addItem(id: window.id, report: window.report) { assembly in
        try assembly.tokenIDs.append(context.map(Int64.init), shape: [context.count], id: window.id)
        try assembly.labels.append(target.map(Int64.init), shape: [target.count], id: window.id)
        if let signal = built.signal {
          try assembly.signal.append(signal, shape: [built.rows, signal.count / built.rows], id: window.id)
        }
        assembly.minimum.append(built.minimum)
        assembly.maximum.append(built.maximum)
        assembly.originalLength.append(Int64(built.sequence.count))
      }
    }
    let tokens = TokenBatch(
      tgtIDs: assembly.tokenIDs.stacked()!, labels: assembly.labels.stacked(), signal: assembly.signal.stacked())
    let forecast = ForecastBatch(
      tokens: tokens, minimum: Tensor(assembly.minimum), maximum: Tensor(assembly.maximum),
      originalLength: Tensor(assembly.originalLength))
    return Batch(input: forecast, ids: assembly.ids, reports: assembly.reports)
  }
}
