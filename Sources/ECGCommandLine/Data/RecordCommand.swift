import ArgumentParser
import ECGData
import Foundation

/// `ecg record`: look at one WFDB record.
struct RecordCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "record", abstract: "Show or export a WFDB record.",
    subcommands: [RecordShowCommand.self, RecordExportCommand.self])
}

/// Reads a record, turning reader errors into validation errors with the reader's message.
func readRecord(_ path: String) throws -> WFDBRecord {
  do {
    return try WFDBRecord(contentsOf: path)
  } catch let error as WFDBError where error.kind == .multiSegment {
    throw CommandError(
      "\(path) is a multi-segment record: `ecg record` reads single-segment records; show or export one of its segments"
    )
  } catch let error as WFDBError {
    throw CommandError(error.message)
  }
}
