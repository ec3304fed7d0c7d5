import ArgumentParser
import ECGTokenizer

/// `ecg tokenizer convert`: any tokenizer file to our JSON format.
struct TokenizerConvertCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a tokenizer (the reference's .pkl, or our JSON) to our versioned JSON format.",
    discussion: """
      An unfinished tokenizer (a checkpoint of an interrupted `ecg tokenizer train`) is refused. The output may not \
      be the input or lie inside a dataset store.
      """)

  @Argument(help: "Input tokenizer file.")
  var input: String

  @Argument(help: "Output JSON file.")
  var output: String

  @Flag(help: "Replace the output file if it exists.")
  var overwrite = false

  func run() throws {
    try OutputFile.check(output, overwrite: overwrite, flag: "the output argument")
    // Also with --overwrite: never the input itself, nor a file inside a dataset store.
    try OutputFile.checkOutside(output, input: input, inputName: "the input", flag: "the output")
    let tokens = try ECGByteTokenizer(contentsOf: input)
    try tokens.writeJSON(to: output)
    print("wrote \(output): \(tokens.merges.count) merges, vocabulary size \(tokens.vocabularySize)")
  }
}
