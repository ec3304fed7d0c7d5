import ArgumentParser
import ECGTokenizer

/// `ecg tokenizer inspect`: vocabulary and coverage statistics as JSON.
struct TokenizerInspectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract:
      "Print a tokenizer's statistics as JSON: vocabulary size, merges, longest token, token lengths, and with --data its compression and vocabulary coverage on that data."
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
    let tokens = try ECGByteTokenizer(contentsOf: file)
    var sequences: [[UInt8]] = []
    if let data {
      let source = try TokenizerData.open(data)
      sequences = try evenlySpaced(source.count, sample).map { try source.symbolsForEncoding(at: $0) }
    }
    let statistics = TokenizerStatistics(tokens, sample: sequences, threads: threads.requested)
    print(jsonObject([("file", jsonString(file))] + statistics.jsonFields))
  }
}

/// `count` indices spread evenly over `0..<total` (all of them when `count >= total`).
func evenlySpaced(_ total: Int, _ count: Int) -> [Int] {
  guard count < total else { return Array(0..<total) }
  return (0..<count).map { $0 * total / count }
}
