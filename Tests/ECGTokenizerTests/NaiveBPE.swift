@testable import ECGTokenizer

/// The reference's training loop, literally: recount every pair, take the most frequent (ties: smallest left id,
/// then smallest right id, the rule the fast trainer documents), rewrite left to right.
func naiveBPE(_ corpus: [UInt8], merges: Int) -> (pairs: [(TokenID, TokenID)], sequence: [TokenID]) {
  var ids = corpus.map { TokenID($0) }
  var pairs: [(TokenID, TokenID)] = []
  for step in 0..<merges {
    var counts: [UInt64: Int] = [:]
    for index in 0..<max(0, ids.count - 1) { counts[pairKey(ids[index], ids[index + 1]), default: 0] += 1 }
    guard let best = counts.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) else { break }
    let (a, b) = pairFromKey(best.key)
    let newID = TokenID(256 + step)
    var rewritten: [TokenID] = []
    var index = 0
    while index < ids.count {
      if index + 1 < ids.count, ids[index] == a, ids[index + 1] == b {
        rewritten.append(newID)
        index += 2
      } else {
        rewritten.append(ids[index])
        index += 1
      }
    }
    ids = rewritten
    pairs.append((a, b))
  }
  return (pairs, ids)
}
