import ArgumentParser
import ECGCore
import ECGData
import ECGText
import Foundation
import Torch

/// `ecg bench text`: tokenisation and frozen-BERT forward time for a batch of reports, as JSON.
struct BenchTextCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "text",
    abstract: "Measure report tokenisation and the text encoder's forward pass on a batch (ms/batch) and print JSON.",
    discussion: """
      Tokenises --batch reports (padding and truncation to --max-length) and runs the frozen encoder in evaluation \
      mode without gradients, --repeat times after --warmup untimed runs; medians are reported. Reports come from \
      --input (one per line, cycled) or are the synthetic generator's machine-style reports (deterministic). \
      scripts/reference_text_bench.py measures transformers on the same reports (--dump-reports).
      """)

  @Option(help: "Hugging Face BERT folder (default: $ECG_TEXT_MODEL, else the all-MiniLM-L6-v2 of make setup).")
  var model: String?

  @Option(parsing: .unconditional, help: "Reports per batch.")
  var batch: Int = 64

  @Option(name: .customLong("max-length"), parsing: .unconditional, help: "Positions per report.")
  var maxLength: Int = 128

  @Option(help: "Reports, one per line (default: synthetic reports).")
  var input: String?

  @Option(
    name: [.customLong("repeats"), .customLong("repeat", withSingleDash: false)], parsing: .unconditional,
    help: "Timed runs (the median is reported).")
  var `repeat`: Int = 5

  @Option(parsing: .unconditional, help: "Untimed runs first.")
  var warmup: Int = 1

  @OptionGroup var threads: ThreadsOption

  @OptionGroup var device: DeviceOption

  @Option(name: .customLong("dump-reports"), help: "Also write the batch's reports to this file, one per line.")
  var dumpReports: String?

  @Flag(help: "Replace an existing --dump-reports file.")
  var overwrite = false

  func validate() throws {
    if batch < 1 || `repeat` < 1 { throw ValidationError("--batch and --repeats must be at least 1") }
    if warmup < 0 { throw ValidationError("--warmup must be 0 or more, got \(warmup)") }
    if maxLength < 2 { throw ValidationError("--max-length must be at least 2 ([CLS] and [SEP])") }
  }

  func run() throws {
    // libtorch's intra-op pool is process-wide: set here, where the command runs.
    if let threads = threads.requested { try Torch.setIntraOpThreads(threads) }
    if let dumpReports { try OutputFile.check(dumpReports, overwrite: overwrite, flag: "--dump-reports") }
    let folder = try TextModelInput.folder(model)
    guard maxLength <= folder.configuration.maxPositionEmbeddings else {
      throw CommandError(
        "--max-length \(maxLength) exceeds the model's max_position_embeddings \(folder.configuration.maxPositionEmbeddings)"
      )
    }
    let target = try device.resolved()
    let (tokenizer, encoder) = try TextEmbedCommand.load(folder, device: target)
    let reports = try self.reports()
    if let dumpReports {
      try (reports.joined(separator: "\n") + "\n").write(toFile: dumpReports, atomically: true, encoding: .utf8)
    }

    var condition = tokenizer.encode(reports, maxLength: maxLength)
    let tokenize = Stopwatch.median(warmup: warmup, repeats: `repeat`) {
      condition = tokenizer.encode(reports, maxLength: maxLength)
    }
    let onDevice = condition.to(target)
    let forward = try Stopwatch.median(warmup: warmup, repeats: `repeat`) {
      withNoGrad { _ = encoder(onDevice).lastHiddenState }
      try Device.synchronize(target)
    }
    let realTokens = condition.attentionMask.sum().item()  // one sync, outside the timed runs
    try printJSON([
      "model": folder.url.path,
      "batch": batch,
      "max_length": maxLength,
      "real_tokens_per_report": realTokens / Double(batch),
      "device": target.description,
      "threads": Torch.intraOpThreads,
      "repeat": `repeat`,
      "tokenize_ms": tokenize * 1000,
      "forward_ms": forward * 1000,
      "reports_per_s": Double(batch) / (tokenize + forward),
    ])
  }

  /// `batch` reports: from `--input`, cycled, or deterministic synthetic reports.
  private func reports() throws -> [String] {
    if let input {
      let lines = try TextModelInput.lines(input)
      guard !lines.isEmpty else { throw CommandError("'\(input)' has no reports") }
      return (0..<batch).map { lines[$0 % lines.count] }
    }
    return (0..<batch).map { i in
      SyntheticFindings(
        heartRate: 40 + (i * 37) % 110, qrsAxis: -90 + (i * 53) % 270, qrsDuration: 70 + (i * 29) % 90,
        limbQRSPeakToPeak: 0.3 + Double((i * 17) % 20) / 10
      ).report
    }
  }
}
