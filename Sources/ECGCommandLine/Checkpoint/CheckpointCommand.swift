import ArgumentParser

/// `ecg checkpoint`: look inside and convert checkpoint files.
struct CheckpointCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "checkpoint",
    abstract: "Inspect safetensors files and reference PyTorch checkpoints, and convert the latter to safetensors.",
    subcommands: [CheckpointInspectCommand.self, CheckpointConvertCommand.self, CheckpointExportCommand.self]
  )
}
