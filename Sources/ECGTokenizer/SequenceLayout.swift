/// The reference's token sequence for training: `[bos] + tokens + [eos]`, left-padded with pad to a fixed length,
/// or truncated keeping the final eos.
public struct SequenceLayout: Sendable, Equatable {
  public var specialTokens: ECGByteTokenizer.SpecialTokens
  /// `--bpe_symbolic_len` (2048 by default).
  public var length: Int

  public init(specialTokens: ECGByteTokenizer.SpecialTokens, length: Int = 2048) {
    self.specialTokens = specialTokens
    self.length = length
  }

  /// `[bos] + tokens + [eos]` with no padding (evaluation mode).
  public func unpadded(_ tokens: [TokenID]) -> [TokenID] {
    [specialTokens.bos] + tokens + [specialTokens.eos]
  }

  /// The training-mode sequence of exactly `length` ids: left-padded, or the first `length - 1` ids plus eos.
  public func training(_ tokens: [TokenID]) -> [TokenID] {
    let sequence = unpadded(tokens)
    if sequence.count <= length {
      return [TokenID](repeating: specialTokens.pad, count: length - sequence.count) + sequence
    }
    return Array(sequence.prefix(length - 1)) + [specialTokens.eos]
  }

  /// Training labels: a copy with pad and bos replaced by -100 (eos stays a target).
  public func labels(_ sequence: [TokenID]) -> [TokenID] {
    sequence.map { $0 == specialTokens.pad || $0 == specialTokens.bos ? -100 : $0 }
  }
}
