/// A max-heap of (count, pair) entries: highest count first, ties to the smallest pair key (left id, then right id).
/// Entries may be stale; the trainer checks them against the live counts when popping.
struct PairHeap {
  struct Entry {
    var count: Int
    var key: UInt64

    @inline(__always)
    func precedes(_ other: Entry) -> Bool {
      count != other.count ? count > other.count : key < other.key
    }
  }

  private(set) var entries: [Entry] = []

  var isEmpty: Bool { entries.isEmpty }
  var top: Entry? { entries.first }

  init(_ initial: [Entry] = []) {
    entries = initial
    guard entries.count > 1 else { return }
    for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
  }

  mutating func push(_ entry: Entry) {
    entries.append(entry)
    var child = entries.count - 1
    while child > 0 {
      let parent = (child - 1) / 2
      guard entries[child].precedes(entries[parent]) else { break }
      entries.swapAt(child, parent)
      child = parent
    }
  }

  mutating func pop() -> Entry? {
    guard !entries.isEmpty else { return nil }
    entries.swapAt(0, entries.count - 1)
    let entry = entries.removeLast()
    if !entries.isEmpty { siftDown(0) }
    return entry
  }

  private mutating func siftDown(_ start: Int) {
    var parent = start
    let count = entries.count
    while true {
      let left = 2 * parent + 1
      guard left < count else { return }
      var best = left
      if left + 1 < count, entries[left + 1].precedes(entries[left]) { best = left + 1 }
      guard entries[best].precedes(entries[parent]) else { return }
      entries.swapAt(best, parent)
      parent = best
    }
  }
}

@inline(__always)
func pairKey(_ left: TokenID, _ right: TokenID) -> UInt64 {
  UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
}

@inline(__always)
func pairFromKey(_ key: UInt64) -> (TokenID, TokenID) {
  (TokenID(bitPattern: UInt32(key >> 32)), TokenID(bitPattern: UInt32(truncatingIfNeeded: key)))
}
