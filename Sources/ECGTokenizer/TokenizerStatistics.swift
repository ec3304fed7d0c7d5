/// Vocabulary statistics of a tokenizer, and optionally its coverage of a sample of symbol sequences.
public struct TokenizerStatistics: Sendable, Equatable {
  public var vocabularySize: Int
  public var merges: Int
  public var longestTokenID: TokenID?
  public var longestTokenLength: Int
  /// Mean spelling length of the merged tokens.
  public var meanMergedTokenLength: Double
  /// Merged tokens per spelling length, as (length, count) in increasing length.
  public var lengthHistogram: [(length: Int, count: Int)]
  /// The bytes that occur in merged tokens, as text.
  public var mergedAlphabet: String

  /// Symbols in the sample (0 without one).
  public var sampleSymbols = 0
  public var sampleTokens = 0
  /// Distinct token ids the sample uses.
  public var sampleDistinctTokens = 0

  /// Symbols per token over the sample (greedy encoding).
  public var sampleCompressionRatio: Double { sampleTokens == 0 ? 0 : Double(sampleSymbols) / Double(sampleTokens) }
  /// Share of the vocabulary the sample uses.
  public var sampleVocabularyCoverage: Double { Double(sampleDistinctTokens) / Double(max(1, vocabularySize)) }

  public init(_ tokenizer: ECGByteTokenizer, sample: [[UInt8]] = [], threads: Int? = nil) {
    vocabularySize = tokenizer.vocabularySize
    merges = tokenizer.merges.count
    let longest = tokenizer.merges.max { $0.spelling.count < $1.spelling.count }
    longestTokenID = longest?.id
    longestTokenLength = longest?.spelling.count ?? 1
    let total = tokenizer.merges.reduce(0) { $0 + $1.spelling.count }
    meanMergedTokenLength = merges == 0 ? 0 : Double(total) / Double(merges)
    var histogram: [Int: Int] = [:]
    for merge in tokenizer.merges { histogram[merge.spelling.count, default: 0] += 1 }
    lengthHistogram = histogram.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    let bytes = Set(tokenizer.merges.flatMap(\.spelling)).sorted()
    mergedAlphabet = String(decoding: bytes.filter { (0x21...0x7e).contains($0) }, as: UTF8.self)
    if !sample.isEmpty {
      let encoded = tokenizer.encode(batch: sample, threads: threads)
      sampleSymbols = sample.reduce(0) { $0 + $1.count }
      sampleTokens = encoded.reduce(0) { $0 + $1.count }
      var used = Set<TokenID>()
      for ids in encoded { used.formUnion(ids) }
      sampleDistinctTokens = used.count
    }
  }

  public static func == (lhs: TokenizerStatistics, rhs: TokenizerStatistics) -> Bool {
    lhs.vocabularySize == rhs.vocabularySize && lhs.merges == rhs.merges && lhs.longestTokenID == rhs.longestTokenID
      && lhs.longestTokenLength == rhs.longestTokenLength && lhs.meanMergedTokenLength == rhs.meanMergedTokenLength
      && lhs.lengthHistogram.map(\.length) == rhs.lengthHistogram.map(\.length)
      && lhs.lengthHistogram.map(\.count) == rhs.lengthHistogram.map(\.count)
      && lhs.mergedAlphabet == rhs.mergedAlphabet
      && lhs.sampleSymbols == rhs.sampleSymbols && lhs.sampleTokens == rhs.sampleTokens
      && lhs.sampleDistinctTokens == rhs.sampleDistinctTokens
  }

  /// The statistics as JSON fields (`"name": value`), for the CLI.
  public var jsonFields: [(String, String)] {
    var fields: [(String, String)] = [
      ("vocabulary_size", "\(vocabularySize)"),
      ("vocabulary_size_with_special_tokens", "\(vocabularySize + 3)"),
      ("merges", "\(merges)"),
      ("longest_token_id", longestTokenID.map(String.init) ?? "null"),
      ("longest_token_length", "\(longestTokenLength)"),
      ("mean_merged_token_length", format(meanMergedTokenLength)),
      ("merged_alphabet", jsonString(mergedAlphabet)),
      ("length_histogram", "{" + lengthHistogram.map { "\"\($0.length)\": \($0.count)" }.joined(separator: ", ") + "}"),
    ]
    if sampleSymbols > 0 {
      fields += [
        ("sample_symbols", "\(sampleSymbols)"), ("sample_tokens", "\(sampleTokens)"),
        ("sample_compression_ratio", format(sampleCompressionRatio)),
        ("sample_distinct_tokens", "\(sampleDistinctTokens)"),
        ("sample_vocabulary_coverage", format(sampleVocabularyCoverage)),
      ]
    }
    return fields
  }
}

/// A number for JSON output with 4 decimals.
public func format(_ value: Double) -> String {
  guard value.isFinite else { return "null" }
  let scaled = (value * 10000).rounded() / 10000
  return "\(scaled)"
}

/// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
public func jsonString(_ text: String) -> String { ECGByteTokenizer.quoted(text) }
