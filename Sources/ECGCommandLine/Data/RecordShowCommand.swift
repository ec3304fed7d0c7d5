import ArgumentParser
import ECGData
import Foundation
import TensorFormats

/// `ecg record show RECORD [--json]`: the header summary.
struct RecordShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Print a WFDB record's header summary.",
    discussion:
      "A record whose data files are missing or truncated still shows its header, then why its data cannot be read.")

  @Argument(help: "The record: header path with or without .hea.")
  var record: String

  @OptionGroup var output: JSONOption

  func run() throws {
    let (header, dataProblem) = try Self.read(record)
    print(output.json ? Self.json(header, dataProblem: dataProblem) : Self.text(header, dataProblem: dataProblem))
  }

  /// The record's header (its frame count from the data when the header omits it) and, when its data files are
  /// missing, truncated or otherwise unreadable, why: the header is still worth showing then.
  static func read(_ path: String) throws -> (header: WFDBHeader, dataProblem: String?) {
    do {
      return (try readRecord(path).header, nil)
    } catch let error as CommandError {
      let headerURL = URL(fileURLWithPath: path.hasSuffix(".hea") ? path : path + ".hea")
      guard let header = try? WFDBHeader(contentsOf: headerURL) else { throw error }
      return (header, error.description)
    }
  }

  static func text(_ header: WFDBHeader, dataProblem: String? = nil) -> String {
    let frames = header.numberOfFrames ?? 0
    var lines = [
      "record     \(header.recordName)",
      "rate       \(JSONText.number(header.samplingFrequency)) Hz"
        + (header.counterFrequency.map { ", counter \(JSONText.number($0)) Hz" } ?? ""),
      "frames     \(frames) (\(String(format: "%.3f", Double(frames) / header.samplingFrequency)) s)",
    ]
    if let time = header.baseTime { lines.append("start      \(time)" + (header.baseDate.map { " \($0)" } ?? "")) }
    lines.append("signals    \(header.signals.count)")
    lines.append(
      "  #  name                 file                 fmt  spf  gain       baseline  units  adc_res  adc_zero")
    for (i, s) in header.signals.enumerated() {
      let columns = [
        String(i).leftPadded(3), s.description.rightPadded(20), s.fileName.rightPadded(20),
        String(s.format.rawValue).rightPadded(4),
        String(s.samplesPerFrame).rightPadded(4), JSONText.number(s.gain).rightPadded(10),
        String(s.baseline).rightPadded(9),
        s.units.rightPadded(6), String(s.adcResolution).rightPadded(8), String(s.adcZero),
      ]
      lines.append(columns.joined(separator: " "))
    }
    if !header.comments.isEmpty {
      lines.append("comments")
      lines += header.comments.map { "  " + $0 }
    }
    if let dataProblem { lines.append("data       unreadable: \(dataProblem)") }
    return lines.joined(separator: "\n")
  }

  /// The header as JSON; `fmt` is a string, as in `ecg record export --format json` and WFDB's Python package.
  /// `data_error` says why the data files cannot be read (null when they can).
  static func json(_ header: WFDBHeader, dataProblem: String? = nil) -> String {
    func optional(_ value: String?) -> String { value.map(JSONLiteral.string) ?? "null" }
    let signals = header.signals.map { s in
      "{\"name\": \(JSONLiteral.string(s.description)), \"file\": \(JSONLiteral.string(s.fileName)), \"fmt\": \"\(s.format.rawValue)\", "
        + "\"samples_per_frame\": \(s.samplesPerFrame), \"skew\": \(s.skew), \"byte_offset\": \(s.byteOffset), "
        + "\"gain\": \(JSONText.number(s.gain)), \"baseline\": \(s.baseline), \"units\": \(JSONLiteral.string(s.units)), "
        + "\"adc_resolution\": \(s.adcResolution), \"adc_zero\": \(s.adcZero), \"initial_value\": \(s.initialValue), "
        + "\"checksum\": \(s.checksum.map(String.init) ?? "null"), \"block_size\": \(s.blockSize)}"
    }
    return
      "{\"record\": \(JSONLiteral.string(header.recordName)), \"fs\": \(JSONText.number(header.samplingFrequency)), "
      + "\"counter_frequency\": \(header.counterFrequency.map(JSONText.number) ?? "null"), "
      + "\"n_frames\": \(header.numberOfFrames ?? 0), \"base_time\": \(optional(header.baseTime)), "
      + "\"base_date\": \(optional(header.baseDate)), \"signals\": [\(signals.joined(separator: ", "))], "
      + "\"comments\": [\(header.comments.map(JSONLiteral.string).joined(separator: ", "))], "
      + "\"data_error\": \(optional(dataProblem))}"
  }
}

extension String {
  func rightPadded(_ width: Int) -> String {
    count >= width ? self : self + String(repeating: " ", count: width - count)
  }
  func leftPadded(_ width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
