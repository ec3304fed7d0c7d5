import ArgumentParser
import ECGTokenizer

/// `ecg tokenizer encode`: symbol strings in, token ids out.
struct TokenizerEncodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "encode",
    abstract: "Encode symbol strings (one per line, a-z) to space-separated token ids, one line per input line.",
    discussion: "With --from-store, encode one stored window instead (symbolised as the bpe_symbolic representation).")

  @Option(help: "Tokenizer file (our JSON or the reference's .pkl).")
  var tokenizer: String

  @Option(help: "Input file (default: standard input).")
  var input: String?

  @Option(
    name: .customLong("from-store"),
    help: "Data to take a window from: a dataset store, a folder of .npy windows, or a text file of symbol lines.")
  var fromStore: String?

  @Option(parsing: .unconditional, help: "Window index for --from-store.")
  var index: Int?

  @OptionGroup var threads: ThreadsOption

  func validate() throws {
    if fromStore != nil && input != nil { throw ValidationError("use either --input or --from-store, not both") }
    if (fromStore == nil) != (index == nil) { throw ValidationError("--from-store and --index go together") }
  }

  func run() throws {
    let tokens = try ECGByteTokenizer(contentsOf: tokenizer)
    let sequences: [[UInt8]]
    if let fromStore, let index {
      sequences = [try TokenizerData.open(fromStore).symbolsForEncoding(at: index)]
    } else {
      let name = input ?? "standard input"
      sequences = try readLines(input).enumerated().map { number, line in
        try SymbolTextSource.validated(line.utf8, line: number + 1, source: name)
      }
    }
    for ids in tokens.encode(batch: sequences, threads: threads.requested) {
      print(ids.map(String.init).joined(separator: " "))
    }
  }
}
