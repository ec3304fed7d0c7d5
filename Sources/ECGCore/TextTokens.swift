/// One text tokenised for a BERT-like encoder, padded and truncated to a fixed length, with the field names
/// Hugging Face tokenizers use (`input_ids`, `attention_mask`, `token_type_ids`).
public struct TextTokens: Sendable, Equatable {
  /// `input_ids`: `[CLS] … [SEP]` then padding ids.
  public var inputIDs: [Int64]
  /// `attention_mask`: 1 for real tokens, 0 for padding.
  public var attentionMask: [Int64]
  /// `token_type_ids`: 0 for a single sentence.
  public var tokenTypeIDs: [Int64]

  public init(inputIDs: [Int64], attentionMask: [Int64], tokenTypeIDs: [Int64]) {
    precondition(
      inputIDs.count == attentionMask.count && inputIDs.count == tokenTypeIDs.count,
      "token fields must have one length")
    self.inputIDs = inputIDs
    self.attentionMask = attentionMask
    self.tokenTypeIDs = tokenTypeIDs
  }

  /// The number of positions (the padded length).
  public var count: Int { inputIDs.count }
}

/// Turns report text into model inputs for text-conditioned networks (DiT with `--condition text`, MERL).
///
/// The result has exactly `maxLength` positions, as `tokenizer(text, padding="max_length",
/// max_length=maxLength, truncation=True)` gives in `transformers`.
public protocol TextTokenizing: Sendable {
  func encode(_ text: String, maxLength: Int) -> TextTokens
}
