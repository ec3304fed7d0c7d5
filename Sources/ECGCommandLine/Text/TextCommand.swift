import ArgumentParser

/// `ecg text ...`: the BERT text encoder of a local Hugging Face folder (MERL and text-conditioned DiT).
struct TextCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "text",
    abstract: "Tokenise and embed report texts with a BERT from a local Hugging Face folder.",
    subcommands: [TextEmbedCommand.self, TextInspectCommand.self]
  )
}
