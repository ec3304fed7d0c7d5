@testable import ECGTokenizer

/// A tokenizer from spellings (ids 256, 257, … in order).
func tokenizer(_ spellings: String...) throws -> ECGByteTokenizer {
  try ECGByteTokenizer(
    merges: spellings.enumerated().map {
      ECGByteTokenizer.Merge(id: TokenID(256 + $0.offset), spelling: Array($0.element.utf8))
    })
}

/// The reference's tokenizer, loaded once.
let referenceTokenizer: ECGByteTokenizer? = try? ECGByteTokenizer(contentsOf: Fixtures.referenceTokenizerPath)
