/// Byte-pair merging over one long sequence with incremental pair counts.
///
/// The sequence is a doubly linked list over the original positions (merged-away positions are marked dead), every
/// pair keeps its live count and the positions where it was formed, and a lazy max-heap finds the best pair. A merge
/// touches only the occurrences of its pair and their neighbours, so its cost is proportional to how often the pair
/// occurs, not to the corpus length. Merging is done left to right over non-overlapping occurrences, exactly as the
/// reference's rewrite, so the counts always equal a full recount.
struct IncrementalBPE {
  private static let dead: TokenID = -1

  private(set) var ids: [TokenID]
  private var next: [Int32]
  private var previous: [Int32]
  /// Live count and formation positions of every pair present in the sequence (one hash lookup per update).
  private var pairs: [UInt64: PairStats] = [:]
  private var heap: PairHeap
  /// Number of live tokens in the sequence.
  private(set) var length: Int
  /// Pairs whose count grew during the current merge (each once), to push to the heap afterwards.
  private var increased: [UInt64] = []
  private var stamp: Int32 = 0

  private struct PairStats {
    var count: Int
    /// The merge during which this pair was last added to `increased`.
    var stamp: Int32
    var positions: [Int32]
  }

  /// Starts from a sequence of bytes (ids 0…255); counting is split over `threads` threads.
  init(bytes: [UInt8], threads: Int?) {
    precondition(bytes.count < Int(Int32.max), "corpus too long for 32-bit positions")
    let count = bytes.count
    ids = bytes.map { TokenID($0) }
    next = (0..<count).map { Int32($0 + 1 < count ? $0 + 1 : -1) }
    previous = (0..<count).map { Int32($0 - 1) }
    length = count
    // Initial counts: each thread scans a contiguous chunk; concatenating the chunks'
    // position lists in chunk order keeps every list sorted.
    let pairCount = max(0, count - 1)
    let chunks = max(1, min(threads ?? 4, pairCount / 65536 + 1))
    let partial = bytes.withUnsafeBufferPointer { buffer in
      nonisolated(unsafe) let buffer = buffer
      return parallelMap(chunks, threads: chunks) { chunk -> [Int: [Int32]] in
        let start = pairCount * chunk / chunks
        let end = pairCount * (chunk + 1) / chunks
        var lists: [Int: [Int32]] = [:]
        for position in start..<end {
          lists[Int(buffer[position]) << 8 | Int(buffer[position + 1]), default: []].append(Int32(position))
        }
        return lists
      }
    }
    var merged: [Int: [Int32]] = [:]
    for lists in partial {
      for (code, positions) in lists { merged[code, default: []].append(contentsOf: positions) }
    }
    var entries: [PairHeap.Entry] = []
    for (code, positions) in merged {
      let key = pairKey(TokenID(code >> 8), TokenID(code & 0xff))
      pairs[key] = PairStats(count: positions.count, stamp: -1, positions: positions)
      entries.append(PairHeap.Entry(count: positions.count, key: key))
    }
    heap = PairHeap(entries)
  }

  /// The pair with the highest count (ties: smallest left id, then smallest right id), or nil when no pairs are left.
  mutating func bestPair() -> (pair: (TokenID, TokenID), count: Int)? {
    while let entry = heap.top {
      let current = pairs[entry.key]?.count ?? 0
      if current == entry.count { return (pairFromKey(entry.key), current) }
      _ = heap.pop()
      if current > 0 { heap.push(PairHeap.Entry(count: current, key: entry.key)) }
    }
    return nil
  }

  /// Count of a pair in the current sequence.
  func count(of pair: (TokenID, TokenID)) -> Int { pairs[pairKey(pair.0, pair.1)]?.count ?? 0 }

  /// Replaces every non-overlapping occurrence of `pair`, left to right, by `newID`; returns how many.
  @discardableResult
  mutating func merge(_ pair: (TokenID, TokenID), into newID: TokenID) -> Int {
    let (a, b) = pair
    let key = pairKey(a, b)
    guard var positions = pairs.removeValue(forKey: key)?.positions else { return 0 }
    stamp &+= 1
    positions.sort()
    var merged = 0
    var last: Int32 = -1
    for position in positions where position != last {
      last = position
      let p = Int(position)
      guard ids[p] == a else { continue }
      let q = Int(next[p])
      guard q >= 0, ids[q] == b else { continue }
      let left = Int(previous[p])
      let right = Int(next[q])
      if left >= 0 {
        decrement(pairKey(ids[left], a))
        increment(pairKey(ids[left], newID), at: Int32(left))
      }
      if right >= 0 {
        decrement(pairKey(b, ids[right]))
        increment(pairKey(newID, ids[right]), at: position)
      }
      ids[p] = newID
      ids[q] = Self.dead
      next[p] = Int32(right)
      if right >= 0 { previous[right] = position }
      merged += 1
    }
    pairs[key] = nil  // every occurrence is now merged or broken up
    length -= merged
    for touched in increased {
      if let current = pairs[touched]?.count { heap.push(PairHeap.Entry(count: current, key: touched)) }
    }
    increased.removeAll(keepingCapacity: true)
    return merged
  }

  private mutating func decrement(_ key: UInt64) {
    guard let index = pairs.index(forKey: key) else { return }
    if pairs.values[index].count <= 1 {
      pairs.remove(at: index)
    } else {
      pairs.values[index].count -= 1
    }
  }

  private mutating func increment(_ key: UInt64, at position: Int32) {
    if let index = pairs.index(forKey: key) {
      pairs.values[index].count += 1
      pairs.values[index].positions.append(position)
      if pairs.values[index].stamp != stamp {
        pairs.values[index].stamp = stamp
        increased.append(key)
      }
    } else {
      pairs[key] = PairStats(count: 1, stamp: stamp, positions: [position])
      increased.append(key)
    }
  }

  /// The live tokens in order (for tests and statistics).
  var sequence: [TokenID] { ids.filter { $0 != Self.dead } }
}
