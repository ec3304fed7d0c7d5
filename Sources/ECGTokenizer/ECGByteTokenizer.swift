/// A token id: 0…255 are single bytes, 256… are merged tokens, then the special tokens.
public typealias TokenID = Int32

/// An ECG-Byte tokenizer: 256 byte tokens plus merged tokens, each spelled by a byte sequence.
///
/// Encoding is the reference's greedy longest match over all spellings (not merge-order BPE); the matcher is built
/// once, here, and reused by every `encode` call.
public struct ECGByteTokenizer: Sendable {
  /// One merged token.
  public struct Merge: Sendable, Equatable {
    /// The token's id (256 + its index among the merges).
    public var id: TokenID
    /// The token's whole spelling (the concatenated bytes it stands for).
    public var spelling: [UInt8]
    /// The two tokens it was merged from, when known (tokenizers trained here; not recorded in the reference's file).
    public var pair: (TokenID, TokenID)?

    public init(id: TokenID, spelling: [UInt8], pair: (TokenID, TokenID)? = nil) {
      self.id = id
      self.spelling = spelling
      self.pair = pair
    }

    public static func == (lhs: Merge, rhs: Merge) -> Bool {
      lhs.id == rhs.id && lhs.spelling == rhs.spelling && lhs.pair?.0 == rhs.pair?.0 && lhs.pair?.1 == rhs.pair?.1
    }
  }

  /// The ids the reference appends after the vocabulary: pad = V₀, bos = V₀ + 1, eos = V₀ + 2.
  public struct SpecialTokens: Sendable, Equatable {
    public var pad: TokenID
    public var bos: TokenID
    public var eos: TokenID

    public init(pad: TokenID, bos: TokenID, eos: TokenID) {
      self.pad = pad
      self.bos = bos
      self.eos = eos
    }
  }

  public static let byteTokenCount = 256

  /// Merged tokens in id order (merge i has id 256 + i).
  public let merges: [Merge]
  let matcher: GreedyMatcher

  /// Builds a tokenizer (and its matcher) from merges with ids 256, 257, … in order; spellings must be at least two
  /// bytes long. BPE can spell two tokens alike (`ab`+`c` and `a`+`bc`); the matcher then uses the later id, as the
  /// reference's trie does.
  public init(merges: [Merge]) throws {
    for (index, merge) in merges.enumerated() {
      let expected = TokenID(Self.byteTokenCount + index)
      guard merge.id == expected else {
        throw TokenizerError(
          "merge \(index) has id \(merge.id), expected \(expected); merged ids must be 256, 257, … in order")
      }
      guard merge.spelling.count >= 2 else {
        throw TokenizerError(
          "merged token \(merge.id) is spelled by \(merge.spelling.count) byte(s); it needs at least 2")
      }
      if let (left, right) = merge.pair {
        guard left >= 0, right >= 0, left < merge.id, right < merge.id else {
          throw TokenizerError(
            "merged token \(merge.id) is made of tokens \(left) and \(right), which must come before it")
        }
      }
    }
    self.merges = merges
    self.matcher = GreedyMatcher(merges: merges)
  }

  /// V₀: the byte tokens plus the merged tokens (10256 for the reference's tokenizer).
  public var vocabularySize: Int { Self.byteTokenCount + merges.count }

  /// V₀ plus the three special tokens.
  public var vocabularySizeWithSpecialTokens: Int { vocabularySize + 3 }

  public var specialTokens: SpecialTokens {
    let base = TokenID(vocabularySize)
    return SpecialTokens(pad: base, bos: base + 1, eos: base + 2)
  }

  /// The bytes token `id` stands for; nil for special or unknown ids.
  public func spelling(of id: TokenID) -> [UInt8]? {
    if id >= 0 && id < Self.byteTokenCount { return [UInt8(id)] }
    let index = Int(id) - Self.byteTokenCount
    return merges.indices.contains(index) ? merges[index].spelling : nil
  }

  /// The reference's vocabulary string for `id`: the character for bytes 0…127, `<b>` for bytes 128…255, and the
  /// concatenation of those for merged tokens.
  public func vocabularyString(of id: TokenID) -> String? {
    spelling(of: id).map { $0.map { $0 < 128 ? String(UnicodeScalar($0)) : "<\($0)>" }.joined() }
  }
}
