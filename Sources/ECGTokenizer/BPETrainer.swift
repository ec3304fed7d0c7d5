import Foundation

/// ECG-Byte BPE training (the reference's algorithm, with incremental counts instead of a recount per merge).
///
/// Each step merges the most frequent adjacent pair of the whole corpus (overlapping pairs counted, pairs spanning
/// segment boundaries included), rewriting non-overlapping occurrences left to right. Ties go to the pair with the
/// smallest left id, then the smallest right id, so training is deterministic and independent of `threads`.
public struct BPETrainer {
  /// Reported after every merge batch.
  public struct Progress: Sendable {
    public var merges: Int
    public var target: Int
    public var elapsed: Double
    /// Merges per second since training (not replay) began.
    public var mergesPerSecond: Double
    /// Estimated seconds left.
    public var secondsLeft: Double
  }

  /// The trained tokenizer and its statistics.
  public struct Result: Sendable {
    public var tokenizer: ECGByteTokenizer
    /// Symbols in the training corpus.
    public var corpusSymbols: Int
    /// Tokens left in the corpus after all merges (merge-order BPE).
    public var corpusTokens: Int
    /// Merges replayed from a resumed file before training went on.
    public var resumedMerges: Int
    public var seconds: Double

    /// Symbols per token over the training corpus.
    public var compressionRatio: Double { corpusTokens == 0 ? 0 : Double(corpusSymbols) / Double(corpusTokens) }
  }

  public var targetMerges: Int
  public var threads: Int?
  /// Merges trained so far are handed to `checkpoint` every this many merges (nil: never).
  public var checkpointInterval: Int?
  public var checkpoint: ((ECGByteTokenizer) throws -> Void)?
  public var progress: ((Progress) -> Void)?
  /// Minimum seconds between progress reports.
  public var progressInterval: Double = 1

  public init(targetMerges: Int, threads: Int? = nil) {
    self.targetMerges = targetMerges
    self.threads = threads
  }

  /// Trains on `corpus` (bytes), continuing after `resume`'s merges (which must have pairs, i.e. come from a
  /// tokenizer trained here) if given.
  public func train(corpus: [UInt8], resume: ECGByteTokenizer? = nil) throws -> Result {
    let start = Date()
    guard targetMerges >= 0 else { throw TokenizerError("the number of merges must be 0 or more, got \(targetMerges)") }
    var state = IncrementalBPE(bytes: corpus, threads: threads)
    var merges: [ECGByteTokenizer.Merge] = []
    var spellings: [[UInt8]] = (0..<256).map { [UInt8($0)] }
    if let resume {
      for merge in resume.merges.prefix(targetMerges) {
        guard let pair = merge.pair else {
          throw TokenizerError(
            "cannot resume from a tokenizer without merge pairs (e.g. a converted reference file); train from scratch")
        }
        state.merge(pair, into: merge.id)
        merges.append(merge)
        spellings.append(merge.spelling)
      }
    }
    let resumed = merges.count
    let trainingStart = Date()
    var lastReport = Date.distantPast
    while merges.count < targetMerges, let (pair, _) = state.bestPair() {
      let id = TokenID(256 + merges.count)
      state.merge(pair, into: id)
      let spelling = spellings[Int(pair.0)] + spellings[Int(pair.1)]
      spellings.append(spelling)
      merges.append(ECGByteTokenizer.Merge(id: id, spelling: spelling, pair: pair))
      if let interval = checkpointInterval, let checkpoint, (merges.count - resumed) % interval == 0 {
        try checkpoint(try ECGByteTokenizer(merges: merges))
      }
      if let progress, Date().timeIntervalSince(lastReport) >= progressInterval || merges.count == targetMerges {
        lastReport = Date()
        let elapsed = lastReport.timeIntervalSince(trainingStart)
        let rate = Double(merges.count - resumed) / max(elapsed, 1e-9)
        progress(
          Progress(
            merges: merges.count, target: targetMerges, elapsed: elapsed, mergesPerSecond: rate,
            secondsLeft: Double(targetMerges - merges.count) / max(rate, 1e-9)))
      }
    }
    return Result(
      tokenizer: try ECGByteTokenizer(merges: merges), corpusSymbols: corpus.count, corpusTokens: state.length,
      resumedMerges: resumed, seconds: Date().timeIntervalSince(start))
  }
}
