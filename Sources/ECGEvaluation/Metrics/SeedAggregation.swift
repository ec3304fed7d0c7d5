/// One metric over the evaluation seeds (evaluation.md §6.6).
public struct SeedAggregate: Sendable, Equatable, Codable {
  /// Arithmetic mean (NaN if any value is NaN).
  public var mean: Double
  /// Population standard deviation (divisor = number of seeds).
  public var std: Double
  /// The per-seed values in seed order.
  public var values: [Double]

  public init(_ values: [Double]) {
    let n = Double(values.count)
    mean = values.reduce(0, +) / n
    let mean = mean
    std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
    self.values = values
  }
}

/// Aggregates per-seed results key by key, for every key of the first seed's result; a key missing from a
/// later seed counts as NaN there.
public func aggregateSeeds(_ runs: [[String: Double]]) -> [String: SeedAggregate] {
  guard let first = runs.first else { return [:] }
  var result: [String: SeedAggregate] = [:]
  for key in first.keys { result[key] = SeedAggregate(runs.map { $0[key] ?? .nan }) }
  return result
}
