import ArgumentParser
import ECGData
import Foundation
import TensorFormats

/// `ecg record export RECORD [--format csv|json] [--out FILE]`.
struct RecordExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Export a WFDB record's samples as CSV (physical units, one row per frame) or JSON (digital and physical).")

  enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

  @Argument(help: "The record: header path with or without .hea.")
  var record: String

  @Option(help: "csv or json.")
  var format: Format = .csv

  @Option(help: "Output file (default: standard output).")
  var out: String?

  @Flag(help: "Replace --out if it exists.")
  var overwrite = false

  func run() throws {
    if let out { try OutputFile.check(out, overwrite: overwrite) }
    let record = try readRecord(record)
    let text = format == .csv ? Self.csv(record) : Self.json(record)
    if let out {
      try OutputFile.write(Data(text.utf8), to: out)
    } else {
      FileHandle.standardOutput.write(Data(text.utf8))
    }
  }

  /// Header row of signal names, then one row per frame in physical units (empty for missing samples).
  static func csv(_ record: WFDBRecord) -> String {
    func field(_ text: String) -> String {
      text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
        ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
    let physical = record.header.signals.indices.map { record.physical($0) }
    var lines = [record.header.signals.map { field($0.description) }.joined(separator: ",")]
    lines.reserveCapacity(record.numberOfFrames + 1)
    for frame in 0..<record.numberOfFrames {
      lines.append(physical.map { $0[frame].isNaN ? "" : String($0[frame]) }.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Per signal: name, units, gain, baseline, fmt, samples_per_frame, every digital sample, and one
  /// physical value per frame (null for missing).
  static func json(_ record: WFDBRecord) -> String {
    let signals = record.header.signals.enumerated().map { index, s in
      "{\"name\": \(JSONLiteral.string(s.description)), \"units\": \(JSONLiteral.string(s.units)), "
        + "\"gain\": \(JSONText.number(s.gain)), \"baseline\": \(s.baseline), \"fmt\": \"\(s.format.rawValue)\", "
        + "\"samples_per_frame\": \(s.samplesPerFrame), "
        + "\"digital\": [\(record.digital[index].map(String.init).joined(separator: ","))], "
        + "\"physical\": [\(record.physical(index).map { $0.isFinite ? String($0) : "null" }.joined(separator: ","))]}"
    }
    return
      "{\"record\": \(JSONLiteral.string(record.header.recordName)), \"fs\": \(JSONText.number(record.header.samplingFrequency)), "
      + "\"n_frames\": \(record.numberOfFrames), \"signals\": [\n\(signals.joined(separator: ",\n"))\n]}\n"
  }
}
