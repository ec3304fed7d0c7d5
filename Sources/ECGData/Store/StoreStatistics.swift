/// Counts over a store's windows.
public struct StoreStatistics: Sendable, Codable, Equatable {
  /// Windows per source, then per split name.
  public var windows: [String: [String: Int]] = [:]
  /// Windows per class.
  public var classes: [String: Int] = [:]
  /// Windows with a positive value per label code.
  public var labels: [String: Int] = [:]
  /// Windows per standard lead name whose `lead_mask` is false (the lead is absent and zero-filled); leads
  /// present everywhere are not listed. Nil in stores written before it was counted (`DatasetStore`'s
  /// `absentLeadWindows()` then reads the index).
  public var absentLeads: [String: Int]? = [:]

  /// Empty statistics.
  public init() {}

  /// Counts one window's classes, labels and absent leads (`leads`: the store's lead order).
  mutating func count(_ metadata: WindowMetadata, leads: [String] = StandardLeads.names) {
    for name in metadata.classes { classes[name, default: 0] += 1 }
    for (code, value) in metadata.labels where value > 0 { labels[code, default: 0] += 1 }
    for lead in Self.absentLeadNames(metadata.leadMask, leads: leads) { absentLeads?[lead, default: 0] += 1 }
  }

  /// Adds another's class, label and absent-lead counts.
  mutating func add(_ other: StoreStatistics) {
    classes.merge(other.classes, uniquingKeysWith: +)
    labels.merge(other.labels, uniquingKeysWith: +)
    if let counts = other.absentLeads {
      absentLeads?.merge(counts, uniquingKeysWith: +)
    } else {
      absentLeads = nil
    }
  }

  /// The names of the leads `mask` marks absent; `leads` is the store's lead order, which the mask follows.
  static func absentLeadNames(_ mask: [Bool], leads: [String] = StandardLeads.names) -> [String] {
    zip(leads, mask).filter { !$0.1 }.map(\.0)
  }

  enum CodingKeys: String, CodingKey {
    case windows, classes, labels, absentLeads = "absent_leads"
  }
}
