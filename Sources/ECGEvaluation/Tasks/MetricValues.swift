/// Named metric values in the order a task produced them (the order the reference's result dict has, which the
/// results JSON keeps).
public struct MetricValues: Sendable, Equatable {
  /// Metric names in insertion order.
  public private(set) var names: [String] = []
  /// Value of each name.
  public private(set) var values: [String: Double] = [:]

  public init() {}

  /// The value of `name`; setting a new name appends it to `names`.
  public subscript(name: String) -> Double? {
    get { values[name] }
    set {
      if values[name] == nil && newValue != nil { names.append(name) }
      if newValue == nil { names.removeAll { $0 == name } }
      values[name] = newValue
    }
  }

  /// The values as a plain dictionary (what `aggregateSeeds` takes).
  public var dictionary: [String: Double] { values }
}
