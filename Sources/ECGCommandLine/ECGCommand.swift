import ArgumentParser

/// The `ecg` command: pretrain and evaluate ECG neural networks.
public struct ECGCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "ecg",
    abstract: "Pretrain and evaluate ECG neural networks (a Swift rebuild of ELM-Research/ecg_encoder).",
    subcommands: [
      VersionCommand.self,
      BenchCommand.self,
      CheckpointCommand.self,
      RecordCommand.self, PreprocessCommand.self, DataCommand.self,
    ]
  )

  public init() {}

  /// Parses the arguments and runs the chosen command, awaiting asynchronous ones.
  ///
  /// Use this rather than `main()`: in top-level code `await ECGCommand.main()` resolves to
  /// `ParsableCommand`'s synchronous `main()`, which refuses asynchronous subcommands.
  public static func start() async {
    do {
      var command = try await asyncParseAsRoot()
      if var asyncCommand = command as? AsyncParsableCommand {
        try await asyncCommand.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: error)
    }
  }
}
