import Testing

@testable import ECGTokenizer

@Suite struct BPETrainerTests {
  static func randomCorpus(seed: UInt64, length: Int, alphabet: Int) -> [UInt8] {
    var state = seed
    return (0..<length).map { _ in
      state = state &* 6364136223846793005 &+ 1442695040888963407
      // Skewed draws make repeated pairs (and runs like "aaaa") common.
      let draw = Int((state >> 33) % UInt64(alphabet * alphabet))
      return UInt8(97 + Int(Double(draw).squareRoot()) % alphabet)
    }
  }

  @Test(arguments: [(1, 400, 3), (2, 2000, 5), (3, 3000, 26), (4, 50, 2), (5, 1, 4), (6, 0, 4)])
  func equalsTheNaiveAlgorithm(seed: UInt64, length: Int, alphabet: Int) throws {
    let corpus = Self.randomCorpus(seed: seed, length: length, alphabet: alphabet)
    let naive = naiveBPE(corpus, merges: 60)
    let result = try BPETrainer(targetMerges: 60, threads: 3).train(corpus: corpus)
    let pairs = result.tokenizer.merges.map { $0.pair! }
    #expect(pairs.map(\.0) == naive.pairs.map(\.0))
    #expect(pairs.map(\.1) == naive.pairs.map(\.1))
    #expect(result.corpusTokens == naive.sequence.count)
    var state = IncrementalBPE(bytes: corpus, threads: 2)
    for merge in result.tokenizer.merges { state.merge(merge.pair!, into: merge.id) }
    #expect(state.sequence == naive.sequence)
  }

  @Test func runsOfOneSymbolMergeLeftToRight() throws {
    let result = try BPETrainer(targetMerges: 2).train(corpus: Array("aaaaab".utf8))
    #expect(result.tokenizer.merges.map(\.spelling) == [Array("aa".utf8), Array("ab".utf8)])  // then a tie: (a, b) has the smallest ids
    #expect(result.corpusTokens == 3)  // aa aa ab
    #expect(result.compressionRatio == 2)
  }

  @Test func stopsWhenNoPairsAreLeft() throws {
    let result = try BPETrainer(targetMerges: 10).train(corpus: Array("abab".utf8))
    #expect(result.tokenizer.merges.count == 2)
  }

  @Test func resumingGivesTheSameMerges() throws {
    let corpus = Self.randomCorpus(seed: 9, length: 5000, alphabet: 6)
    let full = try BPETrainer(targetMerges: 80).train(corpus: corpus)
    var checkpoints: [Int] = []
    var trainer = BPETrainer(targetMerges: 30)
    trainer.checkpointInterval = 10
    trainer.checkpoint = { checkpoints.append($0.merges.count) }
    let partial = try trainer.train(corpus: corpus)
    #expect(checkpoints == [10, 20, 30])
    let resumed = try BPETrainer(targetMerges: 80).train(corpus: corpus, resume: partial.tokenizer)
    #expect(resumed.resumedMerges == 30)
    #expect(resumed.tokenizer.merges == full.tokenizer.merges)
    #expect(throws: TokenizerError.self) {
      try BPETrainer(targetMerges: 40).train(corpus: corpus, resume: try tokenizer("ab"))
    }
  }

  @Test func reportsProgress() throws {
    var reports: [BPETrainer.Progress] = []
    var trainer = BPETrainer(targetMerges: 5)
    trainer.progressInterval = 0
    trainer.progress = { reports.append($0) }
    _ = try trainer.train(corpus: Self.randomCorpus(seed: 2, length: 500, alphabet: 4))
    #expect(reports.map(\.merges) == [1, 2, 3, 4, 5])
    #expect(reports.last?.secondsLeft == 0)
  }

  @Test func sourcesFeedTheCorpusInOrder() throws {
    let source = try SymbolTextSource(text: Array("abc\n\nde\r\nf".utf8), name: "input")
    #expect(source.count == 3)
    let corpus = source.corpus(threads: 2)
    #expect(corpus.symbols == Array("abcdef".utf8))
    #expect(corpus.skipped.isEmpty)
    do {
      _ = try SymbolTextSource(text: Array("abc\nabXd".utf8), name: "input")
      Issue.record("accepted a bad symbol")
    } catch let error as TokenizerError {
      #expect(error.message.hasPrefix("input line 2, column 3: 'X' is not an ECG symbol"))
    }
  }
}
