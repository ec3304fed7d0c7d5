import ECGCore

/// What each network/objective receives in pretraining (pipeline.md §6.1), built from a window.
public struct PretrainTask: Sendable {
  public enum Representation: Sendable {
    case signal(SignalRepresentation)
    case symbolic(SymbolicRepresentation)
  }

  public var network: NetworkKind
  public var objective: ObjectiveKind
  public var representation: Representation
  /// Reports tokenised for text conditioning (`--text_feature_extractor`), padded to `textLength`.
  public var textTokenizer: (any TextTokenizing)?
  public var textLength: Int
  /// MAE: number of patches (`--num_patches`) and the share hidden per sample.
  public var maePatches: Int
  public var maeMaskRatio: Double
  /// Also carry `report` and `12_lead_gt` (generation / reconstruction evaluation).
  public var includeGroundTruth: Bool

  public init(
    network: NetworkKind, objective: ObjectiveKind, representation: Representation,
    textTokenizer: (any TextTokenizing)? = nil,
    textLength: Int = 128, maePatches: Int = 12, maeMaskRatio: Double = 0.75, includeGroundTruth: Bool = false
  ) {
    self.network = network
    self.objective = objective
    self.representation = representation
    self.textTokenizer = textTokenizer
    self.textLength = textLength
    self.maePatches = maePatches
    self.maeMaskRatio = maeMaskRatio
    self.includeGroundTruth = includeGroundTruth
  }

  /// Whether items use the window's report (text conditioning, MERL, or carrying it for evaluation).
  public var usesReports: Bool {
    textTokenizer != nil || includeGroundTruth || objective == .merl
  }

  /// Builds the item; `random` supplies the per-sample draws (MAE's lead masking).
  public func item(for window: ECGWindow, random: inout Xoshiro256StarStar) throws -> TrainingItem {
    var item = TrainingItem(id: window.id, report: window.report)
    switch representation {
    case .symbolic(let symbolic):
      let built = symbolic.apply(window)
      let sequence = built.sequence.map(Int64.init)
      item.fields["tgt_ids"] = .ints(sequence, shape: [sequence.count])
      let labels = symbolic.layout.labels(built.sequence).map(Int64.init)
      item.fields["labels"] = .ints(labels, shape: [labels.count])
      if let signal = built.signal {
        item.fields["signal"] = .floats(signal, shape: [built.rows, signal.count / built.rows])
      }
    case .signal(let representation):
      let built = representation.apply(window)
      let length = representation.segmentLength
      let signal = ItemField.floats(built.signal, shape: [built.rows, length])
      switch (network, objective) {
      case (.mlae, _), (.mtae, _), (.stMEM, _):
        item.fields["series"] = signal
      case (_, .autoregressive):
        item.fields["signal"] = signal
      case (_, .merl):
        guard let textTokenizer else {
          throw SampleError(id: window.id, reason: "MERL needs a text tokenizer (--text_feature_extractor)")
        }
        item.fields["signal"] = signal
        addText(textTokenizer.encode(window.report, maxLength: textLength), to: &item)
      case (_, .rectifiedFlow), (_, .ddpm):
        item.fields["signal"] = signal
        if let textTokenizer {
          addText(textTokenizer.encode(window.report, maxLength: textLength), to: &item)
        } else if let condition = built.condition {
          item.fields["condition"] = .floats(condition, shape: [length])
        }
        if includeGroundTruth { item.fields["12_lead_gt"] = .floats(built.twelveLead, shape: [12, length]) }
      case (_, .mae):
        item.fields["patches"] = signal
        item.fields["targets"] = signal
        let hidden = Int(Double(maePatches) * maeMaskRatio)
        var visible = [Float](repeating: 1, count: maePatches)
        for index in random.permutation(maePatches).prefix(hidden) { visible[index] = 0 }
        item.fields["visible_mask"] = .floats(visible, shape: [maePatches])
      }
    }
    return item
  }

  private func addText(_ encoded: TextTokens, to item: inout TrainingItem) {
    let shape = [encoded.count]
    item.fields["condition.input_ids"] = .ints(encoded.inputIDs, shape: shape)
    item.fields["condition.attention_mask"] = .ints(encoded.attentionMask, shape: shape)
    item.fields["condition.token_type_ids"] = .ints(encoded.tokenTypeIDs, shape: shape)
  }
}
