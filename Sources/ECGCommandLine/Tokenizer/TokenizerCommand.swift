import ArgumentParser

/// `ecg tokenizer`: the ECG-Byte tokenizer.
struct TokenizerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tokenizer",
    abstract: "Train, apply, inspect and convert ECG-Byte tokenizers.",
    subcommands: [
      TokenizerTrainCommand.self, TokenizerEncodeCommand.self, TokenizerDecodeCommand.self,
      TokenizerInspectCommand.self, TokenizerConvertCommand.self,
    ]
  )
}
