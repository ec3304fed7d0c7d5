import ArgumentParser

/// `ecg data`: inspect and import dataset stores.
struct DataCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data", abstract: "Inspect dataset stores and import the reference's preprocessed folders.",
    subcommands: [DataInfoCommand.self, DataImportCommand.self, DataSynthCommand.self])
}
