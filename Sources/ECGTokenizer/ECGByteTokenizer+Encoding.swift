extension ECGByteTokenizer {
  /// Token ids for `symbols` by greedy longest match (every byte is a token, so any input encodes).
  public func encode(_ symbols: [UInt8]) -> [TokenID] {
    var output: [TokenID] = []
    output.reserveCapacity(symbols.count / 4 + 16)
    symbols.withUnsafeBufferPointer { matcher.encode($0, into: &output) }
    return output
  }

  /// Token ids for a symbol string.
  public func encode(_ symbols: String) -> [TokenID] {
    encode(Array(symbols.utf8))
  }

  /// Encodes many sequences in parallel on up to `threads` threads (default: all cores); results keep input order.
  public func encode(batch: [[UInt8]], threads: Int? = nil) -> [[TokenID]] {
    parallelMap(batch.count, threads: threads) { encode(batch[$0]) }
  }

  /// The symbols `ids` spell, dropping the special tokens. Throws for ids that are neither tokens nor specials.
  public func decode(_ ids: [TokenID]) throws -> [UInt8] {
    let specials = specialTokens
    var symbols: [UInt8] = []
    for (position, id) in ids.enumerated() {
      if id == specials.pad || id == specials.bos || id == specials.eos { continue }
      guard let spelling = spelling(of: id) else {
        throw TokenizerError(
          "token id \(id) at position \(position) is out of range: this tokenizer has ids 0…\(vocabularySize - 1) "
            + "and special ids \(specials.pad)…\(specials.eos)")
      }
      symbols.append(contentsOf: spelling)
    }
    return symbols
  }

  /// The reference's decoded text: specials dropped, unknown ids written as `<UNK:id>` instead of failing.
  public func referenceDecodedText(_ ids: [TokenID]) -> String {
    let specials = specialTokens
    return ids.compactMap { id -> String? in
      if id == specials.pad || id == specials.bos || id == specials.eos { return nil }
      return vocabularyString(of: id) ?? "<UNK:\(id)>"
    }.joined()
  }
}
