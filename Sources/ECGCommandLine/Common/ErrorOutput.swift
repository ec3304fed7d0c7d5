import ArgumentParser
import ECGData
import ECGTokenizer
import Foundation

/// The one error printer of `ecg`: every failure ends as `Error: <sentence>` on standard error with a
/// non-zero exit; Foundation's errors (permission denied, disk full, missing file) become sentences with
/// the path and what to do, never an `NSCocoaErrorDomain` dump.
enum ErrorOutput {
  /// `error` as the command line reports it.
  static func translated(_ error: any Error) -> any Error {
    switch error {
    case is CommandError, is ValidationError, is CleanExit, is ExitCode: return error
    case let error as StoreError: return CommandError(error.message)
    case let error as DataSourceError: return CommandError(error.message)
    case let error as WFDBError: return CommandError(error.message)
    case let error as TokenizerError: return CommandError(error.message)
    default: break
    }
    let domain = (error as NSError).domain
    guard domain == NSCocoaErrorDomain || domain == NSPOSIXErrorDomain else { return error }
    guard let path = FileErrorText.path(error) else {
      return CommandError("a file operation failed: \(FileErrorText.reason(error))")
    }
    return CommandError(FileErrorText.sentence(error, action: "use", path: path))
  }
}

extension ECGCommand {
  /// Parses the command line, runs the command and reports any failure through `ErrorOutput`.
  public static func runMain() async {
    do {
      var command = try parseAsRoot()
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      exit(withError: ErrorOutput.translated(error))
    }
  }
}
