/// Several window sources seen as one (`--data a b`), with optional sampling probabilities
/// (`--data_sampling_probs`, which the reference parses but ignores) and subsets (`--data_subset`).
public struct DatasetMixture: ECGWindowSource {
  public let sources: [any ECGWindowSource]
  /// Per-source probability of drawing the next item from it; nil concatenates the sources.
  public let probabilities: [Double]?
  /// Fraction of each source to use (a fixed seeded subset); nil uses all.
  public let subset: Double?
  public let seed: UInt64
  private let offsets: [Int]
  private let kept: [[Int]]

  public init(_ sources: [any ECGWindowSource], probabilities: [Double]? = nil, subset: Double? = nil, seed: UInt64 = 0)
    throws
  {
    if let probabilities {
      guard probabilities.count == sources.count, probabilities.allSatisfy({ $0 >= 0 }), probabilities.reduce(0, +) > 0
      else {
        throw SampleError(
          id: "--data_sampling_probs",
          reason: "give one non-negative probability per dataset (\(sources.count)), not all zero")
      }
    }
    if let subset, !(subset > 0 && subset <= 1) {
      throw SampleError(id: "--data_subset", reason: "the subset must be a fraction in (0, 1], got \(subset)")
    }
    self.sources = sources
    self.probabilities = probabilities.map { p in p.map { $0 / p.reduce(0, +) } }
    self.subset = subset
    self.seed = seed
    offsets = sources.reduce(into: [0]) { $0.append($0.last! + $1.count) }
    kept = sources.enumerated().map { d, source in
      guard let subset else { return Array(0..<source.count) }
      var random = Xoshiro256StarStar(seed: seed, stream: UInt64(d))
      let size = Int((subset * Double(source.count)).rounded(.up))
      return Array(random.permutation(source.count).prefix(size)).sorted()
    }
  }

  public var count: Int { offsets.last! }

  /// Windows an epoch visits: the kept windows of every source.
  public var epochLength: Int { kept.reduce(0) { $0 + $1.count } }

  public func window(at index: Int) throws -> ECGWindow {
    try window(at: index, includingReport: true)
  }

  public func window(at index: Int, includingReport: Bool) throws -> ECGWindow {
    guard (0..<count).contains(index) else { throw SampleError(id: "index \(index)", reason: "outside 0..<\(count)") }
    let d = offsets.lastIndex { $0 <= index }!
    return try sources[d].window(at: index - offsets[d], includingReport: includingReport)
  }

  public func withWindow<R>(at index: Int, includingReport: Bool, _ body: (WindowView) throws -> R) throws -> R {
    guard (0..<count).contains(index) else { throw SampleError(id: "index \(index)", reason: "outside 0..<\(count)") }
    let d = offsets.lastIndex { $0 <= index }!
    return try sources[d].withWindow(at: index - offsets[d], includingReport: includingReport, body)
  }

  /// The indices an epoch visits before shuffling and sharding: the kept windows of every source in
  /// order, or with probabilities a seeded draw per position (each source cycling through its own
  /// permutation), as many as the kept windows in total.
  public func epochIndices(_ epoch: Int) -> [Int] {
    let global = kept.enumerated().map { d, indices in indices.map { $0 + offsets[d] } }
    guard let probabilities else { return global.flatMap { $0 } }
    var random = Xoshiro256StarStar(seed: seed &+ 0x5EED, stream: UInt64(epoch))
    var orders = global.map { list in random.permutation(list.count).map { list[$0] } }
    var cursors = [Int](repeating: 0, count: orders.count)
    let total = epochLength
    var result: [Int] = []
    result.reserveCapacity(total)
    while result.count < total {
      let u = random.nextUnit()
      var d = 0
      var cumulative = probabilities[0]
      while u >= cumulative && d < probabilities.count - 1 {
        d += 1
        cumulative += probabilities[d]
      }
      guard !orders[d].isEmpty else { continue }
      if cursors[d] == orders[d].count {
        orders[d] = random.permutation(orders[d].count).map { orders[d][$0] }
        cursors[d] = 0
      }
      result.append(orders[d][cursors[d]])
      cursors[d] += 1
    }
    return result
  }
}
