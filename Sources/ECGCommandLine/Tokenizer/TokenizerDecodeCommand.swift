import ArgumentParser
import ECGTokenizer

/// `ecg tokenizer decode`: token ids in, symbol strings out.
struct TokenizerDecodeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decode",
    abstract: "Decode lines of space-separated token ids to symbol strings (special ids are dropped).")

  @Option(help: "Tokenizer file (our JSON or the reference's .pkl).")
  var tokenizer: String

  @Option(help: "Input file (default: standard input).")
  var input: String?

  func run() throws {
    let tokens = try ECGByteTokenizer(contentsOf: tokenizer)
    let name = input ?? "standard input"
    for (number, line) in try readLines(input).enumerated() {
      let ids = try line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { field -> TokenID in
        guard let id = TokenID(field) else {
          throw TokenizerError(
            "\(name) line \(number + 1): '\(field)' is not a token id (expected integers separated by spaces)")
        }
        return id
      }
      do {
        print(String(decoding: try tokens.decode(ids), as: UTF8.self))
      } catch let error as TokenizerError {
        throw TokenizerError("\(name) line \(number + 1): \(error.message)")
      }
    }
  }
}
