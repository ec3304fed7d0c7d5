import ECGTokenizer

/// The reference's `bpe_symbolic` representation (pipeline.md §5.2): symbolise (float32), encode with the
/// ECG-Byte tokenizer, wrap in bos … eos, and in training mode left-pad or truncate to a fixed length.
public struct SymbolicRepresentation: Sendable {
  public let tokenizer: ECGByteTokenizer
  public var layout: SequenceLayout
  /// Training mode pads/truncates to `layout.length`; evaluation keeps the variable-length sequence.
  public var training: Bool
  /// `--condition`: only this lead is symbolised (the reference keeps `--condition_lead`).
  public var conditionLead: Int?
  /// `--signal_head`: also return the normalised signal.
  public var signalHead: Bool

  public init(
    tokenizer: ECGByteTokenizer, length: Int = 2048, training: Bool = true, conditionLead: Int? = nil,
    signalHead: Bool = false
  ) {
    self.tokenizer = tokenizer
    layout = SequenceLayout(specialTokens: tokenizer.specialTokens, length: length)
    self.training = training
    self.conditionLead = conditionLead
    self.signalHead = signalHead
  }

  public struct Item: Sendable {
    /// bos + tokens + eos, padded/truncated in training mode.
    public var sequence: [TokenID]
    /// Per-window minimum and maximum, needed to turn symbols back into a signal.
    public var minimum: Double
    public var maximum: Double
    /// The instance min-max normalised signal [rows, length] (with `signalHead`).
    public var signal: [Float]?
    public var rows: Int
  }

  public func apply(_ window: ECGWindow) -> Item {
    window.withView(apply)
  }

  public func apply(_ window: WindowView) -> Item {
    var rows = window.leads
    var range = 0..<window.values.count
    if let lead = conditionLead {
      range = (lead * window.length)..<((lead + 1) * window.length)
      rows = 1
    }
    let values = Array(window.values[range])
    let symbolized = Symbolizer.symbolize(values, precision: .float32)
    let tokens = tokenizer.encode(symbolized.symbols)
    let sequence = training ? layout.training(tokens) : layout.unpadded(tokens)
    let signal = signalHead ? SignalNormalization.instanceMinMax.apply(values, leads: 1, eps: Symbolizer.epsilon) : nil
    return Item(
      sequence: sequence, minimum: symbolized.minimum, maximum: symbolized.maximum, signal: signal, rows: rows)
  }
}
