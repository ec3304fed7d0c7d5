import ECGData

/// Which windows an evaluation reads.
public enum EvaluationSplit: String, Sendable, CaseIterable {
  /// The store's test split: patient-disjoint from the training and validation windows (leakage-free).
  case test
  /// The reference's split (pipeline.md §4.1): a seeded 70/30 split of all the files, different for every
  /// evaluation seed; its "test" windows were seen in pretraining, which used every file.
  case referenceFiles = "reference-files"
}

/// The windows one evaluation seed reads, in evaluation order: `order` indexes `source`.
public struct EvaluationWindows: Sendable {
  public let source: any ECGWindowSource
  public let order: [Int]
  /// Sentences about how these windows were chosen (a leaky split, windows skipped), for the console and the
  /// report.
  public var notes: [String]

  public init(source: any ECGWindowSource, order: [Int], notes: [String] = []) {
    self.source = source
    self.order = order
    self.notes = notes
  }

  /// The test part of the reference's `train_test_split(files, train_size=0.7, random_state=seed)` over all
  /// `count` windows: n_test = n − ⌊0.7·n⌋ positions of NumPy's `RandomState(seed).permutation(n)`, in that order.
  public static func referenceTestOrder(count: Int, seed: UInt64) -> [Int] {
    let train = Int((0.7 * Double(count)).rounded(.down))
    var random = LegacyNumPyRandom(seed: UInt32(truncatingIfNeeded: seed))
    return Array(random.permutation(count).prefix(count - train))
  }

  /// The first `maxSamples` windows (all when nil), as `--max_samples` reproduces the reference's early stop.
  public func prefix(_ maxSamples: Int?) -> EvaluationWindows {
    guard let maxSamples else { return self }
    return EvaluationWindows(source: source, order: Array(order.prefix(maxSamples)), notes: notes)
  }

  /// Consecutive groups of at most `size` windows (the last may be shorter).
  public func chunks(of size: Int) -> [[Int]] {
    precondition(size > 0, "batch size must be positive")
    return stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min($0 + size, order.count)]) }
  }
}
