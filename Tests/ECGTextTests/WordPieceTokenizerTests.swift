import ECGCore
import ECGText
import Foundation
import Testing

/// The tokenizer's pieces on a small vocabulary written here (no model folder needed).
@Suite struct WordPieceTokenizerTests {
  static let vocabulary = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "a", "##a", "aa", "##aa", "sinus",
    "rhythm", ".", ",", "!", "cafe", "café", "Café", "心", "电", "x", "##y", "##yy", "##",
  ]

  static func tokenizer(
    _ normalizer: BertNormalizer? = BertNormalizer(), maxInputCharsPerWord: Int = 100,
    added: [AddedToken]? = nil
  ) throws -> WordPieceTokenizer {
    let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].enumerated().map {
      AddedToken(content: $0.element, id: $0.offset)
    }
    return try WordPieceTokenizer(
      vocabulary: vocabulary.enumerated().map { ($0.element, $0.offset) }, normalizer: normalizer,
      template: .bert(cls: 2, sep: 3), addedTokens: added ?? specials, maxInputCharsPerWord: maxInputCharsPerWord)
  }

  @Test func greedyLongestMatchWithContinuations() throws {
    let t = try Self.tokenizer()
    #expect(t.ids("unaffable") == [5, 6, 7])
    #expect(t.ids("aaaaa") == [10, 11, 9])  // aa ##aa ##a
    #expect(t.ids("xyyy") == [22, 24, 23])  // x ##yy ##y
    // One piece that matches nothing makes the whole word unknown.
    #expect(t.ids("unaffablez sinus") == [1, 12])
    #expect(t.ids("") == [])
  }

  @Test func wordLengthLimitCountsCharacters() throws {
    let t = try Self.tokenizer(maxInputCharsPerWord: 5)
    #expect(t.ids("aaaaa") == [10, 11, 9])
    #expect(t.ids("aaaaaa") == [1])
    // Characters, not bytes: five two-byte characters fit.
    let accented = try Self.tokenizer(BertNormalizer(stripAccents: false, lowercase: false), maxInputCharsPerWord: 4)
    #expect(accented.ids("café") == [18])
  }

  @Test func normalisationOptions() throws {
    #expect(try Self.tokenizer().ids("Café CAFÉ") == [17, 17])
    #expect(try Self.tokenizer(BertNormalizer(stripAccents: false, lowercase: true)).ids("Café") == [18])
    #expect(try Self.tokenizer(BertNormalizer(stripAccents: false, lowercase: false)).ids("Café café") == [19, 18])
    #expect(try Self.tokenizer(nil).ids("Café") == [19])
    // CJK characters are words of their own unless handleChineseChars is off.
    #expect(try Self.tokenizer().ids("心电") == [20, 21])
    #expect(try Self.tokenizer(BertNormalizer(handleChineseChars: false)).ids("心电") == [1])
    // Control characters vanish (joining the pieces around them); whitespace of any kind separates.
    #expect(try Self.tokenizer().ids("sin\u{200B}us\u{7}\u{3000}rhythm\u{2028}.") == [12, 13, 14])
  }

  @Test func punctuationIsSplitEvenInRuns() throws {
    let t = try Self.tokenizer()
    #expect(t.ids("sinus,rhythm!!.") == [12, 15, 13, 16, 16, 14])
    // "##" alone is punctuation twice, never the continuation prefix.
    #expect(t.ids("##") == [1, 1])
  }

  @Test func specialTokensInTextAndAddedTokenOptions() throws {
    let t = try Self.tokenizer()
    #expect(t.ids("[CLS]sinus [MASK]") == [2, 12, 4])
    // Special tokens match the original text, so a lower-cased spelling is ordinary text.
    #expect(t.ids("[mask]").count == 3)
    let stripping = try Self.tokenizer(added: [AddedToken(content: "<r>", id: 13, lstrip: true, rstrip: true)])
    #expect(stripping.ids("sinus <r> .") == [12, 13, 14])
    let single = try Self.tokenizer(added: [AddedToken(content: "x", id: 13, singleWord: true)])
    #expect(single.ids("x xyy") == [13, 22, 24])
  }

  @Test func truncationAndPaddingToMaxLength() throws {
    var t = try Self.tokenizer()
    let encoded = t.encode("sinus rhythm . sinus", maxLength: 5)
    #expect(encoded.inputIDs == [2, 12, 13, 14, 3])
    #expect(encoded.attentionMask == [1, 1, 1, 1, 1])
    let short = t.encode("sinus", maxLength: 6)
    #expect(short.inputIDs == [2, 12, 3, 0, 0, 0])
    #expect(short.attentionMask == [1, 1, 1, 0, 0, 0])
    #expect(short.tokenTypeIDs == [0, 0, 0, 0, 0, 0])
    #expect(t.encode("sinus rhythm", maxLength: 2).inputIDs == [2, 3])
    t.truncatesLeft = true
    t.padsLeft = true
    #expect(t.encode("sinus rhythm . sinus", maxLength: 5).inputIDs == [2, 13, 14, 12, 3])
    #expect(t.encode("sinus", maxLength: 5).inputIDs == [0, 0, 2, 12, 3])
    #expect(t.encode("sinus", maxLength: 5).attentionMask == [0, 0, 1, 1, 1])
  }

  @Test func tokensAndBatchesForModels() throws {
    let t = try Self.tokenizer()
    #expect(t.tokens("Unaffable, sinus", maxLength: 10) == ["[CLS]", "un", "##aff", "##able", ",", "sinus", "[SEP]"])
    func encodeThroughProtocol(_ tokenizer: some TextTokenizing) -> TextTokens {
      tokenizer.encode("sinus rhythm", maxLength: 8)
    }
    #expect(encodeThroughProtocol(t) == t.encode("sinus rhythm", maxLength: 8))
    let batch = t.encode(["sinus", "sinus rhythm ."], maxLength: 6)
    #expect(batch.inputIDs.shape == [2, 6])
    #expect(batch.attentionMask.ints() == [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0])
  }

  @Test func unknownAndPaddingTokensMustBeInTheVocabulary() {
    #expect(throws: TextModelError.self) {
      try WordPieceTokenizer(
        vocabulary: [("a", 0)], normalizer: nil, template: .bert(cls: 0, sep: 0), padToken: "a")
    }
    #expect(throws: TextModelError.self) {
      try WordPieceTokenizer(vocabulary: [("[UNK]", 0)], normalizer: nil, template: .bert(cls: 0, sep: 0))
    }
  }
}
