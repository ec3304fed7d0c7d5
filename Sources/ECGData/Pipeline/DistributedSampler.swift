import Torch

/// Which indices a data-parallel rank visits in an epoch, with PyTorch's `DistributedSampler` semantics:
/// a permutation from `torch.randperm(n)` on a generator seeded `seed + epoch` (or `0..<n` unshuffled),
/// padded to a multiple of the world size by repeating its first entries (or truncated with `dropLast`),
/// and rank r takes every world-th index starting at r.
public struct DistributedSampler: Sendable, Equatable {
  public let count: Int
  public let worldSize: Int
  public let rank: Int
  public let seed: UInt64
  public let shuffle: Bool
  public let dropLast: Bool

  public init(
    count: Int, worldSize: Int = 1, rank: Int = 0, seed: UInt64 = 0, shuffle: Bool = true, dropLast: Bool = false
  ) {
    precondition(worldSize >= 1 && (0..<worldSize).contains(rank), "rank \(rank) is outside a world of \(worldSize)")
    self.count = count
    self.worldSize = worldSize
    self.rank = rank
    self.seed = seed
    self.shuffle = shuffle
    self.dropLast = dropLast
  }

  /// Indices per rank per epoch.
  public var samplesPerRank: Int {
    dropLast && count % worldSize != 0 ? count / worldSize : (count + worldSize - 1) / worldSize
  }

  /// This rank's indices for `epoch`, in visiting order.
  public func indices(epoch: Int) -> [Int] {
    guard count > 0 else { return [] }
    var order = shuffle ? Tensor.randperm(count, seed: seed &+ UInt64(epoch)).ints() : Array(0..<count)
    let total = samplesPerRank * worldSize
    if total > order.count {
      let padding = total - order.count
      // PyTorch repeats the list as often as needed when the padding exceeds its length.
      while order.count < total { order += order.prefix(Swift.min(padding, total - order.count)) }
    } else {
      order = Array(order.prefix(total))
    }
    return stride(from: rank, to: total, by: worldSize).map { order[$0] }
  }
}
