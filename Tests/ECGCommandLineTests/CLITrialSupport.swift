import ArgumentParser
import Foundation

@testable import ECGCommandLine

/// Runs `ecg` commands in-process for the CLI-trial regressions: the error comes back as `ecg` prints it.
enum CLITrial {
  /// Runs `ecg <arguments>`; returns nil on success, else the message `ecg` would print after "Error: ".
  static func error(_ arguments: [String]) async -> String? {
    do {
      var command = try ECGCommand.parseKeepingArguments(arguments)
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
      return nil
    } catch {
      let translated = ErrorOutput.translated(error)
      return translated is CommandError ? "\(translated)" : ECGCommand.message(for: translated)
    }
  }

  /// A new empty folder under the temporary directory.
  static func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-cli-trial-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
