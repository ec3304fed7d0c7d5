import Foundation

@testable import ECGData

/// Small synthetic WFDB records and dataset folders for source tests.
enum SyntheticRecords {
  /// Lead `c` at sample `t`: a distinct smooth wave in mV.
  static func value(lead c: Int, sample t: Int, rate: Double) -> Double {
    0.5 * sin(2 * Double.pi * (1 + Double(c) * 0.1) * Double(t) / rate) + 0.01 * Double(c)
  }

  /// Writes a record with the given lead names (in that order) at `rate` Hz.
  @discardableResult
  static func write(
    name: String, folder: URL, leads: [String] = StandardLeads.names, rate: Double = 500, frames: Int = 5000,
    comments: [String] = [], byteOffset: Int = 0, dataFileName: String? = nil
  ) throws -> URL {
    let signals = leads.enumerated().map { c, lead in
      let standard = StandardLeads.index(of: lead) ?? c
      return WFDBWriter.Signal(
        name: lead, gain: 1000, physical: (0..<frames).map { value(lead: standard, sample: $0, rate: rate) })
    }
    return try WFDBWriter.write(
      name: name, folder: folder, samplingFrequency: rate, signals: signals, comments: comments,
      dataFileName: dataFileName, byteOffset: byteOffset)
  }

  static func writeText(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }
}
