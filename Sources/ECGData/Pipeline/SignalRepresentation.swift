/// The reference's `signal` representation (pipeline.md §5.1): normalise, zero-pad to 12 × segment length
/// with a padding mask, and optionally split off a conditioning lead.
public struct SignalRepresentation: Sendable {
  public var normalization: SignalNormalization
  public var eps: Double
  public var segmentLength: Int
  /// `--condition lead`: the lead given to the model as `condition`; the others kept are I, II, V1–V6
  /// without it (7 rows), as the reference does.
  public var conditionLead: Int?

  /// Leads kept when conditioning on a lead: I, II, V1–V6 (the independent ones).
  public static let independentLeads = [0, 1, 6, 7, 8, 9, 10, 11]

  public init(
    normalization: SignalNormalization = .instanceMinMax, eps: Double = 1e-6, segmentLength: Int = 2500,
    conditionLead: Int? = nil
  ) {
    self.normalization = normalization
    self.eps = eps
    self.segmentLength = segmentLength
    self.conditionLead = conditionLead
  }

  /// The result for one window.
  public struct Item: Sendable {
    /// [rows, segmentLength] lead-major: 12 rows, or 7 with a conditioning lead.
    public var signal: [Float]
    public var rows: Int
    /// True where the time step is padding.
    public var paddingMask: [Bool]
    /// The conditioning lead [segmentLength], when conditioning on a lead.
    public var condition: [Float]?
    /// The full normalised 12-lead window (ground truth for generation and reconstruction).
    public var twelveLead: [Float]
  }

  public func apply(_ window: ECGWindow) -> Item {
    let normalized = normalization.apply(window.values, leads: window.leads, eps: eps)
    let valid = Swift.min(window.length, segmentLength)
    var padded = [Float](repeating: 0, count: 12 * segmentLength)
    for lead in 0..<Swift.min(window.leads, 12) {
      for t in 0..<valid { padded[lead * segmentLength + t] = normalized[lead * window.length + t] }
    }
    let mask = (0..<segmentLength).map { $0 >= valid }
    guard let conditionLead else {
      return Item(signal: padded, rows: 12, paddingMask: mask, condition: nil, twelveLead: padded)
    }
    let row = { (lead: Int) in Array(padded[(lead * segmentLength)..<((lead + 1) * segmentLength)]) }
    let kept = Self.independentLeads.filter { $0 != conditionLead }
    return Item(
      signal: kept.flatMap(row), rows: kept.count, paddingMask: mask, condition: row(conditionLead), twelveLead: padded)
  }
}
