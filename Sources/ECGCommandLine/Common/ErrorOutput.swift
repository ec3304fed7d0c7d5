import ArgumentParser
import ECGData
import ECGTokenizer
import Foundation
import Torch

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

extension ErrorOutput {
  /// The sentence for memory that ran out inside a tensor operation, and what to do about it.
  static func outOfMemorySentence(_ error: TorchError) -> String {
    let firstLine = error.message.split(separator: "\n").first.map(String.init) ?? error.message
    return "Error: out of memory in \(error.operation) (\(firstLine)). Use a smaller --batch_size (or "
      + "--eval_batch_size), shorter windows or sequences, or --bfloat_16; an interrupted run keeps its last "
      + "checkpoint (ecg pretrain --resume RUN)."
  }

  /// Makes memory that runs out in a tensor operation end the process with `outOfMemorySentence` and status 1
  /// instead of a crash report.
  static func installOutOfMemoryStop() {
    Torch.outOfMemoryStop = { error in
      fflush(nil)
      FileHandle.standardError.write(Data((outOfMemorySentence(error) + "\n").utf8))
      exit(1)
    }
  }
}

extension ECGCommand {
  /// Parses `arguments` as `ecg` does; `ecg pretrain` and `ecg eval` keep them to tell which flags were given.
  static func parseKeepingArguments(_ arguments: [String]) throws -> any ParsableCommand {
    let command = try parseAsRoot(arguments)
    if var pretrain = command as? PretrainCommand {
      pretrain.commandLine = arguments
      return pretrain
    }
    if var eval = command as? EvalCommand {
      eval.commandLine = arguments
      return eval
    }
    return command
  }

  /// Parses the command line, runs the command and reports any failure through `ErrorOutput`.
  public static func runMain() async {
    ErrorOutput.installOutOfMemoryStop()
    do {
      var command = try parseKeepingArguments(Array(CommandLine.arguments.dropFirst()))
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      // What the command printed comes before its error, also when both streams go to one file or pipe.
      fflush(nil)
      exit(withError: ErrorOutput.translated(error))
    }
  }
}
