/// Counts over a store's windows.
public struct StoreStatistics: Sendable, Codable, Equatable {
  /// Windows per source, then per split name.
  public var windows: [String: [String: Int]] = [:]
  /// Windows per class.
  public var classes: [String: Int] = [:]
  /// Windows with a positive value per label code.
  public var labels: [String: Int] = [:]

  /// Empty statistics.
  public init() {}

  /// Counts one window's classes and labels.
  mutating func count(_ metadata: WindowMetadata) {
    for name in metadata.classes { classes[name, default: 0] += 1 }
    for (code, value) in metadata.labels where value > 0 { labels[code, default: 0] += 1 }
  }

  /// Adds another's class and label counts.
  mutating func add(_ other: StoreStatistics) {
    classes.merge(other.classes, uniquingKeysWith: +)
    labels.merge(other.labels, uniquingKeysWith: +)
  }
}
