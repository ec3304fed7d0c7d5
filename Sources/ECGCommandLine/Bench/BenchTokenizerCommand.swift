import ArgumentParser
import ECGTokenizer
import Foundation

/// `ecg bench tokenizer`: ECG-Byte encoding and training throughput, as JSON.
struct BenchTokenizerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenizer",
    abstract: "Measure ECG-Byte encoding (symbols/s) and BPE training (merges/s) and print JSON.",
    discussion: """
      Encodes one 30,000-symbol window (12 leads × 2500) and a batch of --batch windows, with and without building \
      the matcher, then trains --merges merges on a --corpus-windows × 30,000-symbol corpus. Windows are synthetic \
      ECG-like signals (deterministic), or come from --data. Times are medians over --repeats runs.
      """)

  @Option(help: "Tokenizer to encode with (default: the tokenizer the training part produces).")
  var tokenizer: String?

  @Option(
    help:
      "Windows to use instead of synthetic ones: a dataset store, a folder of .npy windows, or a text file of symbol lines."
  )
  var data: String?

  @Option(parsing: .unconditional, help: "Windows in the encoding batch.")
  var batch: Int = 1024

  @Option(
    name: .customLong("corpus-windows"), parsing: .unconditional,
    help: "Windows (30,000 symbols each) in the training corpus.")
  var corpusWindows: Int = 100

  @Option(parsing: .unconditional, help: "Merges to train.")
  var merges: Int = 1000

  @OptionGroup var threadOption: ThreadsOption

  @Option(parsing: .unconditional, help: "Runs per encoding measurement, 1 or more (the median is reported).")
  var repeats: Int = 5

  /// `--repeat`, this command's old spelling of `--repeats` (hidden, still accepted).
  @Option(name: .customLong("repeat"), parsing: .unconditional, help: .hidden)
  var oldRepeat: Int?

  @Flag(help: "Replace existing files in --dump-inputs.")
  var overwrite = false

  private var threads: Int? { threadOption.requested }
  private var `repeat`: Int { oldRepeat ?? repeats }

  @Option(
    name: .customLong("dump-inputs"),
    help:
      "Write the single window, the batch and the corpus as symbol-line files into this folder (for scripts/reference_tokenizer_bench.py)."
  )
  var dumpInputs: String?

  func validate() throws {
    // Each window is 30,000 symbols held in memory: 100,000 windows are already 3 GB.
    guard (1...100_000).contains(batch), (1...100_000).contains(corpusWindows) else {
      throw ValidationError("--batch and --corpus-windows must be between 1 and 100000")
    }
    if `repeat` < 1 { throw ValidationError("--repeats must be 1 or more") }
    if merges < 0 { throw ValidationError("--merges must be 0 or more") }
  }

  func run() throws {
    if let dumpInputs {
      try OutputFile.checkFiles(
        ["one.txt", "batch.txt", "corpus.txt"], in: dumpInputs, overwrite: overwrite, flag: "--dump-inputs")
    }
    let windowsNeeded = max(batch, corpusWindows)
    let windows: [[UInt8]]
    if let data {
      let source = try TokenizerData.open(data)
      guard source.count > 0 else { throw TokenizerError("'\(data)' has no windows") }
      windows = try (0..<windowsNeeded).map { try source.symbolsForEncoding(at: $0 % source.count) }
    } else {
      windows = TokenizerBenchData.symbolWindows(windowsNeeded)
    }
    let batchWindows = Array(windows.prefix(batch))
    let corpus = Array(windows.prefix(corpusWindows).joined())
    if let dumpInputs {
      try dump(batchWindows: batchWindows, corpusWindows: Array(windows.prefix(corpusWindows)), to: dumpInputs)
    }

    // Training: the initial pair count is reported apart from the merge loop.
    let trainStart = Date()
    let trained = try BPETrainer(targetMerges: merges, threads: threads).train(corpus: corpus)
    let trainSeconds = Date().timeIntervalSince(trainStart)

    let tokens = try tokenizer.map { try ECGByteTokenizer(contentsOf: $0) } ?? trained.tokenizer
    let single = batchWindows[0]
    let build = Stopwatch.median(warmup: 0, repeats: `repeat`) { _ = try? ECGByteTokenizer(merges: tokens.merges) }
    let encodeSingle = Stopwatch.median(warmup: 0, repeats: `repeat`) { _ = tokens.encode(single) }
    let encodeSingleWithBuild = Stopwatch.median(warmup: 0, repeats: `repeat`) {
      let fresh = try? ECGByteTokenizer(merges: tokens.merges)
      _ = fresh?.encode(single)
    }
    let batchSymbols = batchWindows.reduce(0) { $0 + $1.count }
    let encodeBatch = Stopwatch.median(warmup: 0, repeats: max(1, min(`repeat`, 3))) {
      _ = tokens.encode(batch: batchWindows, threads: threads)
    }
    let encodeBatchWithBuild = Stopwatch.median(warmup: 0, repeats: max(1, min(`repeat`, 3))) {
      let fresh = try? ECGByteTokenizer(merges: tokens.merges)
      _ = fresh?.encode(batch: batchWindows, threads: threads)
    }
    let tokenCount = tokens.encode(single).count
    let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount

    func rate(_ count: Int, _ seconds: Double) -> String { format(Double(count) / max(seconds, 1e-12)) }
    print(
      jsonObject([
        ("benchmark", "\"tokenizer\""),
        ("build", jsonString(buildConfiguration)),
        ("threads", "\(threadCount)"),
        ("cores", "\(ProcessInfo.processInfo.activeProcessorCount)"),
        ("input", jsonString(data ?? "synthetic ECG-like windows (12 x 2500, float32 symbolisation)")),
        ("tokenizer", jsonString(tokenizer ?? "trained here (\(trained.tokenizer.merges.count) merges)")),
        ("tokenizer_merges", "\(tokens.merges.count)"),
        ("matcher_build_seconds", format6(build)),
        (
          "encode_one",
          jsonObjectInline([
            ("symbols", "\(single.count)"), ("tokens", "\(tokenCount)"),
            ("seconds", format6(encodeSingle)), ("symbols_per_second", rate(single.count, encodeSingle)),
            ("seconds_with_matcher_build", format6(encodeSingleWithBuild)),
            ("symbols_per_second_with_matcher_build", rate(single.count, encodeSingleWithBuild)),
          ])
        ),
        (
          "encode_batch",
          jsonObjectInline([
            ("sequences", "\(batchWindows.count)"), ("symbols", "\(batchSymbols)"),
            ("seconds", format6(encodeBatch)), ("symbols_per_second", rate(batchSymbols, encodeBatch)),
            ("seconds_with_matcher_build", format6(encodeBatchWithBuild)),
            ("symbols_per_second_with_matcher_build", rate(batchSymbols, encodeBatchWithBuild)),
          ])
        ),
        (
          "train",
          jsonObjectInline([
            ("corpus_symbols", "\(corpus.count)"), ("merges", "\(trained.tokenizer.merges.count)"),
            ("seconds", format6(trainSeconds)),
            ("merges_per_second", rate(trained.tokenizer.merges.count, trainSeconds)),
            ("compression_ratio", format(trained.compressionRatio)),
          ])
        ),
      ]))
  }

  private func dump(batchWindows: [[UInt8]], corpusWindows: [[UInt8]], to folder: String) throws {
    try reportingErrors { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    func write(_ lines: [[UInt8]], _ name: String) throws {
      let text = lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n") + "\n"
      try OutputFile.write(Data(text.utf8), to: URL(fileURLWithPath: folder).appendingPathComponent(name).path)
    }
    try write([batchWindows[0]], "one.txt")
    try write(batchWindows, "batch.txt")
    try write(corpusWindows, "corpus.txt")
  }
}

private var buildConfiguration: String {
  #if DEBUG
    return "debug"
  #else
    return "release"
  #endif
}

private func format6(_ value: Double) -> String { String(format: "%.6f", value) }
