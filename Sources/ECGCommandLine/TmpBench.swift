import ArgumentParser
struct TmpBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "bench", subcommands: [BenchDataCommand.self])
}
