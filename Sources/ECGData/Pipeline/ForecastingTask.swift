import ECGTokenizer

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

  /// The evaluation item: `tgt_ids` = context, `labels` = continuation, plus `min`, `max`, `orig_len`.
  public func evaluationItem(for window: ECGWindow, representation: SymbolicRepresentation) -> TrainingItem {
    var unpadded = representation
    unpadded.training = false
    let built = unpadded.apply(window)
    let (context, target) = split(built.sequence)
    var item = TrainingItem(id: window.id, report: window.report)
    item.fields["tgt_ids"] = .ints(context.map(Int64.init), shape: [context.count])
    item.fields["labels"] = .ints(target.map(Int64.init), shape: [target.count])
    item.fields["min"] = .double(built.minimum)
    item.fields["max"] = .double(built.maximum)
    item.fields["orig_len"] = .ints([Int64(built.sequence.count)], shape: [])
    if let signal = built.signal {
      item.fields["signal"] = .floats(signal, shape: [built.rows, signal.count / built.rows])
    }
    return item
  }
}
