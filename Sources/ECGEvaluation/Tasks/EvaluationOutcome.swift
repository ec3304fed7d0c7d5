import Foundation

/// What one evaluation task produced over its seeds: the per-seed metrics, their aggregate, and the figures it
/// drew, for the results JSON and a report.
public struct EvaluationOutcome: Sendable {
  /// The task's name as `--task` spells it (`generation`, `reconstruction`, `forecasting`, …).
  public var task: String
  /// The evaluation seeds, in order.
  public var seeds: [UInt64]
  /// One result per seed, in seed order.
  public var perSeed: [MetricValues]
  /// The figures written (SVG files), in the order they were drawn.
  public var figures: [URL]
  /// One line each about how the numbers were made where that is not evident (absent leads, say), for the console
  /// and the report; the results JSON keeps the reference's format and has none.
  public var notes: [String]

  public init(task: String, seeds: [UInt64], perSeed: [MetricValues], figures: [URL], notes: [String] = []) {
    precondition(seeds.count == perSeed.count, "one result per seed")
    self.task = task
    self.seeds = seeds
    self.perSeed = perSeed
    self.figures = figures
    self.notes = notes
  }

  /// The first seed's metric names, in its order (the keys of the results JSON, evaluation.md §1.2).
  public var metricNames: [String] { perSeed.first?.names ?? [] }

  /// Mean, population std and per-seed values of every metric of the first seed (evaluation.md §6.6), in
  /// `metricNames` order.
  public var aggregate: [(name: String, value: SeedAggregate)] {
    let aggregated = aggregateSeeds(perSeed.map(\.dictionary))
    return metricNames.map { ($0, aggregated[$0]!) }
  }
}
