/// Greedy longest-match-first WordPiece over a vocabulary (`tokenizers`' `WordPiece` model): a word is cut
/// into the longest vocabulary entry that starts it, then the longest `##`-prefixed entry that continues it,
/// and so on; a word with a part that matches nothing, or longer than `maxInputCharsPerWord` characters
/// (Unicode scalars), becomes the unknown token.
///
/// Entries are matched character by character in two tries (word starts, and continuations with the prefix
/// removed), which finds the same longest entry as trying ever shorter substrings.
struct WordPiece: Sendable {
  private var starts = ScalarTrie()
  private var continuations = ScalarTrie()
  let unknownID: Int
  let continuingSubwordPrefix: [Unicode.Scalar]
  let maxInputCharsPerWord: Int

  /// `vocabulary` in file order: a later duplicate of a token replaces the earlier id.
  init(
    vocabulary: [(token: String, id: Int)], unknownID: Int, continuingSubwordPrefix: String, maxInputCharsPerWord: Int
  ) {
    self.unknownID = unknownID
    self.continuingSubwordPrefix = Array(continuingSubwordPrefix.unicodeScalars)
    self.maxInputCharsPerWord = maxInputCharsPerWord
    let prefix = self.continuingSubwordPrefix
    for (token, id) in vocabulary {
      let scalars = Array(token.unicodeScalars)
      starts.insert(scalars[...], id: id)
      if !prefix.isEmpty, scalars.count > prefix.count, scalars.starts(with: prefix) {
        continuations.insert(scalars[prefix.count...], id: id)
      }
    }
  }

  /// The ids of one pre-tokenised word.
  func ids(of word: ArraySlice<Unicode.Scalar>) -> [Int] {
    guard word.count <= maxInputCharsPerWord else { return [unknownID] }
    var ids: [Int] = []
    var start = word.startIndex
    while start < word.endIndex {
      let trie = start == word.startIndex || continuingSubwordPrefix.isEmpty ? starts : continuations
      guard let (length, id) = trie.longestPrefix(of: word[start...]) else { return [unknownID] }
      ids.append(id)
      start += length
    }
    return ids
  }
}

/// A trie over Unicode scalars: edges in one hash table keyed by (node, scalar).
struct ScalarTrie: Sendable {
  private var edges: [UInt64: Int32] = [:]
  private var ids: [Int32] = [-1]

  private static func key(_ node: Int32, _ scalar: Unicode.Scalar) -> UInt64 {
    UInt64(node) << 21 | UInt64(scalar.value)
  }

  mutating func insert(_ token: ArraySlice<Unicode.Scalar>, id: Int) {
    var node: Int32 = 0
    for scalar in token {
      let key = Self.key(node, scalar)
      if let next = edges[key] {
        node = next
      } else {
        ids.append(-1)
        let next = Int32(ids.count - 1)
        edges[key] = next
        node = next
      }
    }
    ids[Int(node)] = Int32(id)
  }

  /// The longest entry that `text` starts with: its length in scalars and its id.
  func longestPrefix(of text: ArraySlice<Unicode.Scalar>) -> (length: Int, id: Int)? {
    var node: Int32 = 0
    var best: (Int, Int)?
    var length = 0
    for scalar in text {
      guard let next = edges[Self.key(node, scalar)] else { break }
      node = next
      length += 1
      let id = ids[Int(node)]
      if id >= 0 && length > 0 { best = (length, Int(id)) }
    }
    return best
  }
}
