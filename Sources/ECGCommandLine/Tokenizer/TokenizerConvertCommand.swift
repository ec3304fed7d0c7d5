import ArgumentParser
import ECGTokenizer

/// `ecg tokenizer convert`: any tokenizer file to our JSON format.
struct TokenizerConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a tokenizer (the reference's .pkl, or our JSON) to our versioned JSON format.")

  @Argument(help: "Input tokenizer file.")
  var input: String

  @Argument(help: "Output JSON file.")
  var output: String

  @Flag(help: "Replace the output file if it exists.")
  var overwrite = false

  func run() throws {
    try OutputFile.check(output, overwrite: overwrite, flag: "the output argument")
    let tokens = try ECGByteTokenizer(contentsOf: input)
    try tokens.writeJSON(to: output)
    print("wrote \(output): \(tokens.merges.count) merges, vocabulary size \(tokens.vocabularySize)")
  }
}
