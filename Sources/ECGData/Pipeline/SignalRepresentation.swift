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

  /// The leads of the model's `signal` rows, in order: all 12, or I, II, V1–V6 without the condition lead.
  public var signalLeads: [Int] {
    guard let conditionLead else { return Array(0..<12) }
    return Self.independentLeads.filter { $0 != conditionLead }
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

  /// The representation of one window as arrays (for inspection; the loader writes in place with
  /// `write(_:leads:into:)`).
  public func apply(_ window: ECGWindow) -> Item {
    let leads = signalLeads
    var signal = [Float](repeating: 0, count: leads.count * segmentLength)
    var condition = conditionLead.map { _ in [Float](repeating: 0, count: segmentLength) }
    var twelveLead = [Float](repeating: 0, count: 12 * segmentLength)
    window.withView { view in
      signal.withUnsafeMutableBufferPointer { write(view, leads: leads, into: $0) }
      if let conditionLead {
        condition!.withUnsafeMutableBufferPointer { write(view, leads: [conditionLead], into: $0) }
      }
      twelveLead.withUnsafeMutableBufferPointer { write(view, leads: Array(0..<12), into: $0) }
    }
    let valid = Swift.min(window.length, segmentLength)
    return Item(
      signal: signal, rows: leads.count, paddingMask: (0..<segmentLength).map { $0 >= valid }, condition: condition,
      twelveLead: twelveLead)
  }

  /// Writes `leads` of the window (by index; `signalLeads` for the model's `signal`, `[conditionLead]` for the
  /// condition, `0..<12` for the 12-lead ground truth), normalised and zero-padded or cut to `segmentLength`,
  /// as the rows of `rows` ([leads.count, segmentLength]). Leads the window lacks are zero.
  public func write(_ window: WindowView, leads: [Int], into rows: UnsafeMutableBufferPointer<Float>) {
    precondition(rows.count == leads.count * segmentLength, "\(rows.count) values for \(leads.count) rows")
    let valid = Swift.min(window.length, segmentLength)
    let shared =
      normalization.isPerLead ? nil : normalization.scaling(of: window.values, lead: 0, leads: window.leads, eps: eps)
    for (r, lead) in leads.enumerated() {
      let row = UnsafeMutableBufferPointer(rebasing: rows[(r * segmentLength)..<((r + 1) * segmentLength)])
      guard lead < window.leads else {
        row.update(repeating: 0)
        continue
      }
      let scaling = shared ?? normalization.scaling(of: window.values, lead: lead, leads: window.leads, eps: eps)
      let start = lead * window.length
      scaling.apply(
        UnsafeBufferPointer(rebasing: window.values[start..<(start + valid)]),
        to: UnsafeMutableBufferPointer(rebasing: row[0..<valid]))
      if valid < segmentLength { UnsafeMutableBufferPointer(rebasing: row[valid...]).update(repeating: 0) }
    }
  }
}
