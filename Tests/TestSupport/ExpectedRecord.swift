import Foundation

/// The WFDB reference reader's summary of one record (`../shared/data/wfdb/expected.json`).
public struct ExpectedRecord: Decodable, Sendable, CustomStringConvertible {
  public struct Digital: Decodable, Sendable {
    public let count: Int
    public let sum: Int64
    // numpy sums squares in int64, wrapping on overflow.
    public let sum_sq: Int64
    public let min: Int64
    public let max: Int64
    public let first: [Int64]
    public let last: [Int64]
  }
  public struct Smoothed: Decodable, Sendable {
    public let count: Int
    public let mean: Double
    public let std: Double
  }
  public struct Signal: Decodable, Sendable {
    public let name: String
    public let units: String
    public let fmt: String
    public let gain: Double
    public let baseline: Int
    public let adc_zero: Int
    public let samples_per_frame: Int
    public let digital: Digital
    public let physical_smoothed: Smoothed
  }
  public let record: String
  public let fs: Double
  public let n_frames: Int
  public let n_signals: Int
  public let comments: [String]?
  public let signals: [Signal]

  public var description: String { record }

  /// Every record of `expected.json` (empty when the file is missing, which the parity tests report).
  public static func all() -> [ExpectedRecord] {
    struct File: Decodable { let records: [ExpectedRecord] }
    let url = SharedFixtures.dataDirectory.appendingPathComponent("wfdb/expected.json")
    guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
      return []
    }
    return file.records
  }
}
