import ArgumentParser

/// `ecg data`: inspect and import dataset stores.
struct DataCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Describe dataset stores, write synthetic ones, and import the reference's preprocessed folders.",
    subcommands: [DataInfoCommand.self, DataImportCommand.self, DataSynthCommand.self])
}
