import ArgumentParser
import ECGData
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
      written to OUT.partial beside --out every --checkpoint-every merges, and --out is written only when training \
      completes; --resume continues from OUT.partial (or from --out), and refuses a file made from other data or \
      another --sample, or one that holds more merges than --merges. An existing --out is replaced only with \
      --overwrite; --out may not lie inside a dataset store or the training data, and a second run writing the \
      same --out is refused while the first one runs.
      """)

  @Option(
    help:
      "Training data: a dataset store (a folder with store.json), a folder of .npy windows, or a text file of symbol strings (one per line)."
  )
  var data: String

  @Option(parsing: .unconditional, help: "Number of merges, 0 or more.")
  var merges: Int

  @Option(help: "Output tokenizer file (JSON).")
  var out: String

  @Option(
    parsing: .unconditional, help: "Train on this many windows, evenly spaced over the data, 1 or more (default: all).")
  var sample: Int?

  @OptionGroup var threads: ThreadsOption

  @Option(
    name: .customLong("checkpoint-every"), parsing: .unconditional,
    help: "Write the merges so far to OUT.partial every this many merges (1 or more).")
  var checkpointEvery: Int = 1000

  @Flag(help: "Continue an interrupted run from OUT.partial (or extend the tokenizer in --out).")
  var resume = false

  @Flag(help: "Replace an existing --out (without --resume).")
  var overwrite = false

  @Flag(help: "No progress lines.")
  var quiet = false

  func validate() throws {
    if merges < 0 { throw ValidationError("--merges must be 0 or more") }
    if let sample, sample < 1 { throw ValidationError("--sample must be 1 or more") }
    if checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be 1 or more") }
    if resume && overwrite { throw ValidationError("--resume continues --out and --overwrite replaces it: give one") }
  }

  func run() throws {
    // Checked before the work: an existing file is replaced only on request, and --out must be writable.
    try OutputFile.checkOutside(out, input: data, inputName: "the training data")
    try OutputFile.checkFolder(URL(fileURLWithPath: out).deletingLastPathComponent().path, flag: "--out")
    // Held until the tokenizer is written: a second run to the same --out is refused instead of replacing it.
    let lock = try StoreLock(file: out + ".lock", writing: out)
    defer { lock.removeFile() }
    let partial = out + TokenizerTrainingStatus.partialSuffix
    var previous: ECGByteTokenizer?
    var previousTraining: [String: Any] = [:]
    let resumeFile = try checkOutputs(partial: partial)
    if let resumeFile {
      previous = try ECGByteTokenizer(contentsOf: resumeFile, acceptingUnfinished: true)
      previousTraining = TokenizerResume.training(ofFile: resumeFile)
      if let count = previous?.merges.count, count > merges {
        throw CommandError(
          "--resume: \(resumeFile) already holds \(count) merges, more than --merges \(merges); ask for \(count) or more, or start over with --overwrite"
        )
      }
    }

    let source = try TokenizerData.open(data)
    let indices = sample.map { evenlySpaced(source.count, $0) }
    let symbolStart = Date()
    let corpus = source.trainingSource.corpus(indices: indices, threads: threads.requested)
    for message in corpus.skipped.prefix(10) { printError("skipped \(message)") }
    if corpus.skipped.count > 10 { printError("skipped \(corpus.skipped.count - 10) more") }
    guard !corpus.symbols.isEmpty else { throw TokenizerError("no symbols to train on in '\(data)'") }
    let windows = indices?.count ?? source.count
    if !quiet {
      printError(
        "corpus: \(corpus.symbols.count) symbols from \(windows) windows in \(format(Date().timeIntervalSince(symbolStart))) s"
      )
    }
    let fingerprint = TokenizerResume.fingerprint(corpus.symbols)
    if let previous, let resumeFile {
      try TokenizerResume.check(
        previousTraining, fingerprint: fingerprint, windows: windows, sample: sample, file: resumeFile)
      if !quiet { printError("resuming after \(previous.merges.count) merges from \(resumeFile)") }
    }

    var trainer = BPETrainer(targetMerges: merges, threads: threads.requested)
    trainer.checkpointInterval = checkpointEvery
    let identity: [(String, String)] = [
      ("data_fingerprint", jsonString(fingerprint)), ("windows", "\(windows)"),
      ("sample", sample.map(String.init) ?? "null"), ("data", jsonString(absolutePath(data))),
    ]
    let requested = merges
    // Checkpoints go beside --out, so an interrupted run leaves nothing under the final name.
    trainer.checkpoint = { partialTokenizer in
      try partialTokenizer.writeJSON(
        to: partial, metadata: [("complete", "false"), ("merges_requested", "\(requested)")] + identity)
    }
    let line = ProgressLine(unit: "merges", quiet: quiet)
    let resumed = previous?.merges.count ?? 0
    trainer.progress = { progress in line.update(done: progress.merges, total: progress.target, resumed: resumed) }
    let result = try trainer.train(corpus: corpus.symbols, resume: previous)
    line.finish()
    let trainingFields: [(String, String)] =
      [
        ("complete", "true"), ("merges_requested", "\(merges)"), ("corpus_symbols", "\(result.corpusSymbols)"),
        ("corpus_tokens", "\(result.corpusTokens)"), ("compression_ratio", format(result.compressionRatio)),
        ("tie_break", "\"smallest left id, then smallest right id\""),
      ] + identity
    try result.tokenizer.writeJSON(to: out, metadata: trainingFields)
    try? FileManager.default.removeItem(atPath: partial)
    let trained = result.tokenizer.merges.count - result.resumedMerges
    let statistics = TokenizerStatistics(result.tokenizer)
    print(
      jsonObject(
        [("out", jsonString(out))] + trainingFields + [
          ("skipped_windows", "\(corpus.skipped.count)"),
          ("resumed_merges", "\(result.resumedMerges)"), ("seconds", format(result.seconds)),
          ("merges_per_second", format(Double(trained) / max(result.seconds, 1e-9))),
        ] + statistics.jsonFields))
  }

  /// Checks --out and its checkpoint file `partial` against --resume and --overwrite, and returns the file to
  /// resume from: `partial` (an interrupted run), else --out (a finished tokenizer to extend, or an unfinished one
  /// an older ecg wrote under the final name); nil to start from scratch.
  private func checkOutputs(partial: String) throws -> String? {
    let files = FileManager.default
    if resume {
      try OutputFile.check(partial, overwrite: true)
      try OutputFile.check(out, overwrite: true)
      return [partial, out].first { files.fileExists(atPath: $0) }
    }
    if files.fileExists(atPath: partial) && !overwrite {
      throw CommandError(
        "\(partial) holds an unfinished run for --out \(out); continue it with --resume, "
          + "or pass --overwrite to start over"
      )
    }
    if !overwrite, let text = files.contents(atPath: out), let status = TokenizerTrainingStatus(json: text),
      !status.complete
    {
      throw CommandError(
        "\(out) holds an unfinished tokenizer; continue it with --resume, or pass --overwrite to start over")
    }
    try OutputFile.check(out, overwrite: overwrite)
    try OutputFile.check(partial, overwrite: true)
    // A checkpoint of an earlier run must not be taken for this one's.
    if files.fileExists(atPath: partial) {
      do {
        try files.removeItem(atPath: partial)
      } catch {
        throw CommandError(FileErrorText.sentence(error, action: "remove", path: partial))
      }
    }
    return nil
  }
}

/// What `--resume` checks: the file's `training` object names the data it was trained on.
enum TokenizerResume {
  /// The `training` object of a tokenizer file (empty when it has none or cannot be read).
  static func training(ofFile path: String) -> [String: Any] {
    guard let data = FileManager.default.contents(atPath: path),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object["training"] as? [String: Any] ?? [:]
  }

  /// XXH64 of the training corpus (the symbols of the chosen windows, in order): equal for the same data
  /// and `--sample`, different otherwise.
  static func fingerprint(_ symbols: [UInt8]) -> String {
    "xxh64:" + symbols.withUnsafeBytes { XXHash64.hex($0) }
  }

  /// Throws when `training` was recorded for other data or another sample.
  static func check(_ training: [String: Any], fingerprint: String, windows: Int, sample: Int?, file: String) throws {
    guard let recorded = training["data_fingerprint"] as? String else {
      throw CommandError(
        "--resume: \(file) does not record which data it was trained on (written by an older ecg), so it cannot be continued safely; start over with --overwrite"
      )
    }
    guard recorded == fingerprint else {
      var what: [String] = []
      if let old = training["windows"] as? Int, old != windows { what.append("\(old) windows, now \(windows)") }
      let oldSample = training["sample"] as? Int
      if oldSample != sample {
        what.append("--sample \(oldSample.map(String.init) ?? "all"), now \(sample.map(String.init) ?? "all")")
      }
      throw CommandError(
        "--resume: \(file) was trained on other data (\(what.isEmpty ? "other window contents" : what.joined(separator: "; "))); use the same --data and --sample, or start over with --overwrite"
      )
    }
  }
}
