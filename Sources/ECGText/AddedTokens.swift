/// A token matched verbatim in the text before WordPiece runs (`tokenizers`' `AddedToken`): the special
/// tokens (`[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`, `[UNK]`) and any token added to the vocabulary.
public struct AddedToken: Sendable, Equatable {
  public var content: String
  public var id: Int
  /// Only match when not inside a word (no letter, digit or `_` on either side).
  public var singleWord = false
  /// Also consume the whitespace on its left / right.
  public var lstrip = false
  public var rstrip = false
  /// Matched in the normalised text (true) or in the original text (false, as for special tokens).
  public var normalized = false
  public var special = true

  public init(
    content: String, id: Int, singleWord: Bool = false, lstrip: Bool = false, rstrip: Bool = false,
    normalized: Bool = false, special: Bool = true
  ) {
    self.content = content
    self.id = id
    self.singleWord = singleWord
    self.lstrip = lstrip
    self.rstrip = rstrip
    self.normalized = normalized
    self.special = special
  }
}

/// Cuts a text into added tokens and the pieces between them, leftmost match first and the longest token
/// at a position, as `tokenizers`' `AddedVocabulary` does.
struct AddedTokenMatcher: Sendable {
  private let tokens: [(scalars: [Unicode.Scalar], token: AddedToken)]

  /// `normalizer` is applied to the contents of `normalized` tokens, which are matched in normalised text.
  init(_ tokens: [AddedToken], normalizer: BertNormalizer?) {
    self.tokens = tokens.compactMap { token in
      var scalars = Array(token.content.unicodeScalars)
      if token.normalized, let normalizer { scalars = normalizer.normalize(scalars) }
      return scalars.isEmpty ? nil : (scalars, token)
    }
  }

  var isEmpty: Bool { tokens.isEmpty }

  enum Piece {
    case text(ArraySlice<Unicode.Scalar>)
    case token(Int)
  }

  func split(_ text: ArraySlice<Unicode.Scalar>) -> [Piece] {
    guard !tokens.isEmpty else { return [.text(text)] }
    var pieces: [Piece] = []
    var pending = text.startIndex
    var index = text.startIndex
    while index < text.endIndex {
      guard let (length, token) = longestMatch(in: text, at: index) else {
        index += 1
        continue
      }
      var start = index
      var end = index + length
      if token.lstrip { while start > pending, BertCharacters.isWhitespace(text[start - 1]) { start -= 1 } }
      if token.rstrip { while end < text.endIndex, BertCharacters.isWhitespace(text[end]) { end += 1 } }
      if pending < start { pieces.append(.text(text[pending..<start])) }
      pieces.append(.token(token.id))
      pending = end
      index = end
    }
    if pending < text.endIndex { pieces.append(.text(text[pending...])) }
    return pieces
  }

  private func longestMatch(in text: ArraySlice<Unicode.Scalar>, at index: Int) -> (Int, AddedToken)? {
    var best: (Int, AddedToken)?
    for (scalars, token) in tokens where scalars.count > (best?.0 ?? 0) {
      guard text[index...].starts(with: scalars) else { continue }
      if token.singleWord {
        let end = index + scalars.count
        if index > text.startIndex, Self.isWordCharacter(text[index - 1]) { continue }
        if end < text.endIndex, Self.isWordCharacter(text[end]) { continue }
      }
      best = (scalars.count, token)
    }
    return best
  }

  private static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
    c == "_" || c.properties.isAlphabetic || c.properties.numericType != nil
  }
}
