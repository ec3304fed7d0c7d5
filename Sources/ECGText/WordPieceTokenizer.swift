import ECGCore
import Torch

/// BERT's WordPiece tokenizer, giving the ids `transformers` gives for
/// `tokenizer(text, padding="max_length", max_length=n, truncation=True)` with the folder's fast tokenizer:
/// added tokens matched verbatim → `BertNormalizer` → `BertPreTokenizer` (whitespace and punctuation) →
/// greedy longest-match WordPiece with `##` continuations and `[UNK]` → truncation to `n` − 2 tokens →
/// `[CLS] … [SEP]` → padding with `[PAD]` to `n`. Read it from a model folder with
/// `WordPieceTokenizer(folder:)`.
public struct WordPieceTokenizer: TextTokenizing {
  /// nil when the tokenizer has no normaliser (`"normalizer": null`).
  public let normalizer: BertNormalizer?
  /// Special tokens around a single text, e.g. `[CLS]` (type 0) before and `[SEP]` (type 0) after.
  public let template: SpecialTokenTemplate
  /// `pad_token`'s id; padding positions get token type 0 and attention 0.
  public let padID: Int
  /// Which end loses tokens when a text is too long (`truncation_side`), and which end is padded
  /// (`padding_side`); `transformers` defaults to the right for both.
  public var truncatesLeft = false
  public var padsLeft = false
  public let addedTokens: [AddedToken]
  private let wordPiece: WordPiece
  private let originalTextTokens: AddedTokenMatcher
  private let normalizedTextTokens: AddedTokenMatcher
  private let tokensByID: [Int: String]

  /// - Parameters:
  ///   - vocabulary: tokens and ids in file order (a later duplicate replaces the earlier id).
  ///   - addedTokens: tokens matched verbatim before normalisation (the special tokens) or after it.
  /// - Throws: `TextModelError.invalidTokenizer` when the unknown or padding token is not in the vocabulary.
  public init(
    vocabulary: [(token: String, id: Int)], normalizer: BertNormalizer?, template: SpecialTokenTemplate,
    unknownToken: String = "[UNK]", padToken: String = "[PAD]", addedTokens: [AddedToken] = [],
    continuingSubwordPrefix: String = "##", maxInputCharsPerWord: Int = 100
  ) throws {
    var byID: [Int: String] = [:]
    var byToken: [String: Int] = [:]
    for (token, id) in vocabulary {
      byID[id] = token
      byToken[token] = id
    }
    for token in addedTokens {
      byID[token.id] = token.content
      byToken[token.content] = token.id
    }
    guard let unknownID = byToken[unknownToken] else {
      throw TextModelError.invalidTokenizer(
        "the unknown token '\(unknownToken)' is not in the vocabulary; check unk_token in the tokenizer files")
    }
    guard let padID = byToken[padToken] else {
      throw TextModelError.invalidTokenizer(
        "the padding token '\(padToken)' is not in the vocabulary; check pad_token in tokenizer_config.json")
    }
    self.normalizer = normalizer
    self.template = template
    self.padID = padID
    self.addedTokens = addedTokens
    tokensByID = byID
    wordPiece = WordPiece(
      vocabulary: vocabulary, unknownID: unknownID, continuingSubwordPrefix: continuingSubwordPrefix,
      maxInputCharsPerWord: maxInputCharsPerWord)
    originalTextTokens = AddedTokenMatcher(addedTokens.filter { !$0.normalized }, normalizer: nil)
    normalizedTextTokens = AddedTokenMatcher(addedTokens.filter(\.normalized), normalizer: normalizer)
  }

  /// The number of distinct ids (vocabulary and added tokens).
  public var vocabularySize: Int { tokensByID.count }

  /// The token string of an id (`convert_ids_to_tokens`), nil for an id outside the vocabulary.
  public func token(of id: Int) -> String? { tokensByID[id] }

  /// The ids of `text` without special tokens, truncation or padding.
  public func ids(_ text: String) -> [Int] {
    var ids: [Int] = []
    let scalars = Array(text.unicodeScalars)
    for piece in originalTextTokens.split(scalars[...]) {
      switch piece {
      case .token(let id):
        ids.append(id)
      case .text(let raw):
        let normalized = normalizer.map { $0.normalize(Array(raw)) } ?? Array(raw)
        for inner in normalizedTextTokens.split(normalized[...]) {
          switch inner {
          case .token(let id):
            ids.append(id)
          case .text(let span):
            for word in BertPreTokenizer.words(Array(span)) { ids += wordPiece.ids(of: word) }
          }
        }
      }
    }
    return ids
  }

  /// The tokens of `text` as strings, with the special tokens and without padding, as
  /// `tokenizer.convert_ids_to_tokens` shows them for the positions with attention 1.
  public func tokens(_ text: String, maxLength: Int) -> [String] {
    let encoded = encode(text, maxLength: maxLength)
    return zip(encoded.inputIDs, encoded.attentionMask).filter { $0.1 == 1 }.map { tokensByID[Int($0.0)] ?? "" }
  }

  /// `text` as exactly `maxLength` positions: truncated so that the special tokens fit, then padded.
  /// `maxLength` must leave room for the special tokens (2 for BERT).
  public func encode(_ text: String, maxLength: Int) -> TextTokens {
    precondition(
      maxLength >= template.count,
      "max_length \(maxLength) leaves no room for the \(template.count) special tokens")
    var content = ids(text)
    let room = maxLength - template.count
    if content.count > room {
      content = truncatesLeft ? Array(content.suffix(room)) : Array(content.prefix(room))
    }
    var ids = template.prefix.map(\.id) + content + template.suffix.map(\.id)
    var types =
      template.prefix.map(\.typeID) + Array(repeating: template.sequenceTypeID, count: content.count)
      + template.suffix.map(\.typeID)
    var mask = Array(repeating: 1, count: ids.count)
    let padding = maxLength - ids.count
    if padding > 0 {
      let pads = (Array(repeating: padID, count: padding), Array(repeating: 0, count: padding))
      if padsLeft {
        (ids, types, mask) = (pads.0 + ids, pads.1 + types, pads.1 + mask)
      } else {
        (ids, types, mask) = (ids + pads.0, types + pads.1, mask + pads.1)
      }
    }
    return TextTokens(
      inputIDs: ids.map(Int64.init), attentionMask: mask.map(Int64.init), tokenTypeIDs: types.map(Int64.init))
  }

  /// Several texts as one batch of `maxLength` positions.
  public func encode(_ texts: [String], maxLength: Int) -> TextCondition {
    TextCondition(stacking: texts.map { encode($0, maxLength: maxLength) })
  }
}

/// The special tokens put around one text (`TemplateProcessing`'s `single`, or `BertProcessing`).
public struct SpecialTokenTemplate: Sendable, Equatable {
  public struct Token: Sendable, Equatable {
    public var id: Int
    public var typeID: Int
    public init(id: Int, typeID: Int = 0) {
      self.id = id
      self.typeID = typeID
    }
  }

  public var prefix: [Token]
  public var sequenceTypeID: Int
  public var suffix: [Token]

  public init(prefix: [Token], sequenceTypeID: Int = 0, suffix: [Token]) {
    self.prefix = prefix
    self.sequenceTypeID = sequenceTypeID
    self.suffix = suffix
  }

  /// BERT's `[CLS] text [SEP]`, all of token type 0.
  public static func bert(cls: Int, sep: Int) -> SpecialTokenTemplate {
    SpecialTokenTemplate(prefix: [Token(id: cls)], suffix: [Token(id: sep)])
  }

  /// The number of special tokens.
  public var count: Int { prefix.count + suffix.count }
}
