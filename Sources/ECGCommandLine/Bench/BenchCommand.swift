import ArgumentParser

/// `ecg bench ...`: performance figures as JSON. Performance is measured here, never asserted in tests.
struct BenchCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench",
    abstract: "Measure performance and print JSON figures.",
    subcommands: [
      BenchOpsCommand.self, BenchDataCommand.self, BenchLoaderCommand.self, BenchSynthCommand.self,
      BenchTokenizerCommand.self, BenchModulesCommand.self, BenchAttentionCommand.self, BenchTrainCommand.self,
      BenchTextCommand.self, BenchEvalCommand.self,
    ]
  )
}
