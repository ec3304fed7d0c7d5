import ECGCore

/// What each network/objective receives in pretraining (pipeline.md §6.1), built from windows into a typed
/// batch (`ModelInput`).
///
/// Reference batch keys, by case (checked in this order):
/// - MLAE, MTAE, ST-MEM: `series` [B, 12, L] → `.signal(SignalBatch(signal:))`;
/// - `autoregressive` (NEPA): `signal` → `.signal`;
/// - `merl`: `signal` and `condition` = the tokenised report → `.signal` with `.text` condition;
/// - `rectified_flow` / `ddpm`: `signal` [B, C, L], `condition` (a lead [B, L] or the tokenised report),
///   `12_lead_gt` [B, 12, L] for generation/reconstruction → `.signal`;
/// - `mae`: `patches` [B, 12, L], `visible_mask` [B, N], `targets` (a copy of patches) → `.patches` (targets nil,
///   meaning the patches themselves);
/// - `bpe_symbolic`: `tgt_ids`, `labels` (pad and bos → −100), `signal` with the signal head → `.tokens`.
///
/// The padding mask is never passed to a model in pretraining.
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

  /// The typed batch of `windows`, in order; `random` supplies each window's draws (MAE's lead masking).
  /// Throws `SampleError` naming the first window that cannot be built.
  public func batch(for windows: [ECGWindow], random: inout Xoshiro256StarStar) throws -> ModelInput {
    var assembly = makeAssembly(capacity: windows.count)
    for window in windows { try window.withView { try add($0, random: &random, to: &assembly) } }
    guard let input = input(from: assembly) else { throw SampleError(id: "batch", reason: "no windows") }
    return input
  }

  func makeAssembly(capacity: Int) -> BatchAssembly {
    switch (representation, network, objective) {
    case (.signal, .mlae, _), (.signal, .mtae, _), (.signal, .stMEM, _):
      BatchAssembly(capacity: capacity, signalKey: "series")
    case (.signal, _, .mae): BatchAssembly(capacity: capacity, signalKey: "patches")
    default: BatchAssembly(capacity: capacity)
    }
  }

  /// Adds one window's item to `assembly` (all of its keys, or none when it throws).
  func add(_ window: WindowView, random: inout Xoshiro256StarStar, to assembly: inout BatchAssembly) throws {
    try assembly.addItem(id: window.id, report: window.report) { assembly in
      switch representation {
      case .symbolic(let symbolic):
        let built = symbolic.apply(window)
        let length = built.sequence.count
        try assembly.tokenIDs.append(shape: [length], id: window.id) { row in
          for (i, id) in built.sequence.enumerated() { row[i] = Int64(id) }
        }
        try assembly.labels.append(shape: [length], id: window.id) { row in
          for (i, label) in symbolic.layout.labels(built.sequence).enumerated() { row[i] = Int64(label) }
        }
        if let signal = built.signal {
          try assembly.signal.append(signal, shape: [built.rows, signal.count / built.rows], id: window.id)
        }
      case .signal(let representation):
        try addSignal(window, representation: representation, random: &random, to: &assembly)
      }
    }
  }

  private func addSignal(
    _ window: WindowView, representation: SignalRepresentation, random: inout Xoshiro256StarStar,
    to assembly: inout BatchAssembly
  ) throws {
    let length = representation.segmentLength
    let rows = representation.signalLeads.count
    switch (network, objective) {
    case (.mlae, _), (.mtae, _), (.stMEM, _), (_, .autoregressive), (_, .mae):
      try assembly.signal.append(shape: [rows, length], id: window.id) { signal in
        representation.write(window, leads: representation.signalLeads, into: signal)
      }
      if objective == .mae, ![NetworkKind.mlae, .mtae, .stMEM].contains(network) {
        let hidden = Int(Double(maePatches) * maeMaskRatio)
        try assembly.visibleMask.append(shape: [maePatches], id: window.id) { mask in
          mask.update(repeating: 1)
          for index in random.permutation(maePatches).prefix(hidden) { mask[index] = 0 }
        }
      }
    case (_, .merl):
      guard let textTokenizer else {
        throw SampleError(id: window.id, reason: "MERL needs a text tokenizer (--text_feature_extractor)")
      }
      try assembly.signal.append(shape: [rows, length], id: window.id) { signal in
        representation.write(window, leads: representation.signalLeads, into: signal)
      }
      try assembly.appendText(textTokenizer.encode(window.report, maxLength: textLength), id: window.id)
    case (_, .rectifiedFlow), (_, .ddpm):
      try assembly.signal.append(shape: [rows, length], id: window.id) { signal in
        representation.write(window, leads: representation.signalLeads, into: signal)
      }
      // A text tokenizer overrides a lead condition, as in the reference.
      if textTokenizer == nil, let lead = representation.conditionLead {
        try assembly.conditionLead.append(shape: [length], id: window.id) { row in
          representation.write(window, leads: [lead], into: row)
        }
      }
      if includeGroundTruth {
        try assembly.groundTruth.append(shape: [12, length], id: window.id) { rows in
          representation.write(window, leads: Array(0..<12), into: rows)
        }
      }
      if let textTokenizer {
        try assembly.appendText(textTokenizer.encode(window.report, maxLength: textLength), id: window.id)
      }
    }
  }

  /// The typed batch of the completed items; nil when there are none.
  func input(from assembly: BatchAssembly) -> ModelInput? {
    guard assembly.count > 0 else { return nil }
    switch representation {
    case .symbolic:
      guard let ids = assembly.tokenIDs.stacked() else { return nil }
      return .tokens(TokenBatch(tgtIDs: ids, labels: assembly.labels.stacked(), signal: assembly.signal.stacked()))
    case .signal:
      guard let signal = assembly.signal.stacked() else { return nil }
      if let mask = assembly.visibleMask.stacked() { return .patches(PatchBatch(patches: signal, visibleMask: mask)) }
      let condition: SignalCondition? =
        assembly.textCondition.map { .text($0) } ?? assembly.conditionLead.stacked().map { .lead($0) }
      return .signal(
        SignalBatch(signal: signal, condition: condition, groundTruth12Lead: assembly.groundTruth.stacked()))
    }
  }
}
