import ArgumentParser
import ECGTokenizer
import Foundation

/// `ecg tokenizer train`: BPE training on stored windows.
struct TokenizerTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Train an ECG-Byte tokenizer (BPE over symbolised windows) and write it as JSON.",
    discussion: """
      Windows are symbolised (float64, as the reference) and concatenated in index order with no separator. Ties \
      between equally frequent pairs go to the smallest left id, then the smallest right id. The merges so far are \
      written to --out every --checkpoint-every merges; --resume continues from them.
      """)

  @Option(help: "Training data: a folder of .npy windows or a text file of symbol strings (one per line).")
  var data: String

  @Option(help: "Number of merges.")
  var merges: Int

  @Option(help: "Output tokenizer file (JSON).")
  var out: String

  @Option(help: "Train on this many windows, evenly spaced over the data (default: all).")
  var sample: Int?

  @Option(help: "Threads for symbolisation and pair counting (default: all cores).")
  var threads: Int?

  @Option(name: .customLong("checkpoint-every"), help: "Write the merges so far to --out every this many merges.")
  var checkpointEvery: Int = 1000

  @Flag(help: "Continue from the merges already in --out (a file written by an earlier, interrupted run).")
  var resume = false

  func validate() throws {
    if merges < 0 { throw ValidationError("--merges must be 0 or more") }
    if let sample, sample < 1 { throw ValidationError("--sample must be at least 1") }
    if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1") }
  }

  func run() throws {
    let source = try TokenizerData.open(data)
    let indices = sample.map { evenlySpaced(source.count, $0) }
    let symbolStart = Date()
    let corpus = source.trainingSource.corpus(indices: indices, threads: threads)
    for message in corpus.skipped.prefix(10) { printError("skipped \(message)") }
    if corpus.skipped.count > 10 { printError("skipped \(corpus.skipped.count - 10) more") }
    guard !corpus.symbols.isEmpty else { throw TokenizerError("no symbols to train on in '\(data)'") }
    printError(
      "corpus: \(corpus.symbols.count) symbols from \(indices?.count ?? source.count) windows in \(format(Date().timeIntervalSince(symbolStart))) s"
    )

    var previous: ECGByteTokenizer?
    if resume, FileManager.default.fileExists(atPath: out) {
      previous = try ECGByteTokenizer(contentsOf: out)
      printError("resuming after \(previous?.merges.count ?? 0) merges from \(out)")
    }
    var trainer = BPETrainer(targetMerges: merges, threads: threads)
    trainer.checkpointInterval = checkpointEvery
    let out = self.out
    let requested = merges
    trainer.checkpoint = { partial in
      try partial.writeJSON(to: out, metadata: [("complete", "false"), ("merges_requested", "\(requested)")])
    }
    trainer.progress = { progress in
      printError(
        "merge \(progress.merges)/\(progress.target)  \(format(progress.mergesPerSecond)) merges/s  ETA \(format(progress.secondsLeft)) s"
      )
    }
    let result = try trainer.train(corpus: corpus.symbols, resume: previous)
    let trainingFields: [(String, String)] = [
      ("complete", "true"), ("merges_requested", "\(merges)"), ("corpus_symbols", "\(result.corpusSymbols)"),
      ("corpus_tokens", "\(result.corpusTokens)"), ("compression_ratio", format(result.compressionRatio)),
      ("tie_break", "\"smallest left id, then smallest right id\""),
    ]
    try result.tokenizer.writeJSON(to: out, metadata: trainingFields)
    let trained = result.tokenizer.merges.count - result.resumedMerges
    let statistics = TokenizerStatistics(result.tokenizer)
    print(
      jsonObject(
        [("out", jsonString(out))] + trainingFields + [
          ("windows", "\(indices?.count ?? source.count)"), ("skipped_windows", "\(corpus.skipped.count)"),
          ("resumed_merges", "\(result.resumedMerges)"), ("seconds", format(result.seconds)),
          ("merges_per_second", format(Double(trained) / max(result.seconds, 1e-9))),
        ] + statistics.jsonFields))
  }
}
