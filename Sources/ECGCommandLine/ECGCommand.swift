import ArgumentParser

/// The `ecg` command: pretrain and evaluate ECG neural networks.
public struct ECGCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "ecg",
    abstract: "Pretrain and evaluate ECG neural networks (a Swift rebuild of ELM-Research/ecg_encoder).",
    version: ECGVersion.current,
    subcommands: [
      VersionCommand.self,
      RecordCommand.self,
      PreprocessCommand.self,
      DataCommand.self,
      TokenizerCommand.self,
      CheckpointCommand.self,
      TextCommand.self,
      PretrainCommand.self,
      SampleCommand.self,
      EvalCommand.self,
      BenchCommand.self,
      LaunchCommand.self,
    ]
  )

  public init() {}
}
