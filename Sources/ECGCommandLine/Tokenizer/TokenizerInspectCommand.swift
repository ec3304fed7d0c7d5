import ArgumentParser
import ECGTokenizer
import Foundation

/// `ecg tokenizer inspect`: vocabulary and coverage statistics as JSON.
struct TokenizerInspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract:
      "Print a tokenizer's statistics as JSON: whether its training is complete, vocabulary size, merges, longest token, token lengths, and with --data its compression and vocabulary coverage on that data."
  )

  @Argument(help: "Tokenizer file (our JSON or the reference's .pkl).")
  var file: String

  @Option(
    help:
      "Data for coverage statistics: a dataset store, a folder of .npy windows, or a text file of symbol lines.")
  var data: String?

  @Option(parsing: .unconditional, help: "Use at most this many windows of --data (evenly spaced), 1 or more.")
  var sample: Int = 1000

  @OptionGroup var threads: ThreadsOption

  func validate() throws {
    if sample < 1 { throw ValidationError("--sample must be 1 or more") }
  }

  func run() throws {
    let (report, unfinished) = try inspect()
    print(report)
    if let unfinished { printError("note: \(unfinished)") }
  }

  /// The JSON report, and for a tokenizer whose training did not finish the sentence that says how to finish it
  /// (the other commands refuse such a file).
  func inspect() throws -> (report: String, unfinished: String?) {
    let tokens = try ECGByteTokenizer(contentsOf: file, acceptingUnfinished: true)
    let status = FileManager.default.contents(atPath: file).flatMap { TokenizerTrainingStatus(json: $0) }
    var sequences: [[UInt8]] = []
    if let data {
      let source = try TokenizerData.open(data)
      sequences = try evenlySpaced(source.count, sample).map { try source.symbolsForEncoding(at: $0) }
    }
    let statistics = TokenizerStatistics(tokens, sample: sequences, threads: threads.requested)
    var training = [("complete", status?.complete == false ? "false" : "true")]
    if let requested = status?.mergesRequested { training.append(("merges_requested", "\(requested)")) }
    let unfinished = status.flatMap {
      $0.complete ? nil : $0.unfinishedMessage(file: file, merges: tokens.merges.count)
    }
    return (jsonObject([("file", jsonString(file))] + training + statistics.jsonFields), unfinished)
  }
}

/// `count` indices spread evenly over `0..<total` (all of them when `count >= total`).
func evenlySpaced(_ total: Int, _ count: Int) -> [Int] {
  guard count < total else { return Array(0..<total) }
  return (0..<count).map { $0 * total / count }
}
