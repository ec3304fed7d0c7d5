/// The reference's encoder: a trie over every token's spelling, walked greedily for the longest match.
///
/// Children are stored densely over the bytes that occur in merged tokens (26 for ECG symbols), so a step is one
/// table lookup. Bytes that begin no merged token are emitted as themselves without touching the trie.
struct GreedyMatcher: Sendable {
  /// For each byte, its column in the child table, or -1 when no merged token contains it.
  private let column: [Int32]
  private let width: Int
  /// `children[node * width + column]`: the child node, or 0 for none (node 0 is the root, never a child).
  private let children: [Int32]
  /// The token id that ends at each node, or -1 for nodes that are only prefixes.
  private let tokenAtNode: [TokenID]

  init(merges: [ECGByteTokenizer.Merge]) {
    var column = [Int32](repeating: -1, count: 256)
    var width = 0
    for merge in merges {
      for byte in merge.spelling where column[Int(byte)] < 0 {
        column[Int(byte)] = Int32(width)
        width += 1
      }
    }
    var children = [Int32](repeating: 0, count: width)
    var tokenAtNode: [TokenID] = [-1]
    func child(_ node: Int, _ byte: UInt8) -> Int {
      let slot = node * width + Int(column[Int(byte)])
      if children[slot] == 0 {
        children[slot] = Int32(tokenAtNode.count)
        tokenAtNode.append(-1)
        children.append(contentsOf: repeatElement(0, count: width))
      }
      return Int(children[slot])
    }
    for byte in 0..<256 where column[byte] >= 0 {
      tokenAtNode[child(0, UInt8(byte))] = TokenID(byte)
    }
    for merge in merges {
      var node = 0
      for byte in merge.spelling { node = child(node, byte) }
      tokenAtNode[node] = merge.id
    }
    self.column = column
    self.width = width
    self.children = children
    self.tokenAtNode = tokenAtNode
  }

  /// Number of trie nodes (for statistics).
  var nodeCount: Int { tokenAtNode.count }

  func encode(_ symbols: UnsafeBufferPointer<UInt8>, into output: inout [TokenID]) {
    let count = symbols.count
    children.withUnsafeBufferPointer { children in
      tokenAtNode.withUnsafeBufferPointer { tokenAtNode in
        column.withUnsafeBufferPointer { column in
          var start = 0
          while start < count {
            let first = Int(symbols[start])
            guard column[first] >= 0 else {
              output.append(TokenID(first))
              start += 1
              continue
            }
            var node = 0
            var position = start
            var bestToken = TokenID(first)
            var bestEnd = start + 1
            while position < count {
              let columnIndex = column[Int(symbols[position])]
              if columnIndex < 0 { break }
              let next = Int(children[node * width + Int(columnIndex)])
              if next == 0 { break }
              node = next
              position += 1
              let token = tokenAtNode[node]
              if token >= 0 {
                bestToken = token
                bestEnd = position
              }
            }
            output.append(bestToken)
            start = bestEnd
          }
        }
      }
    }
  }
}
