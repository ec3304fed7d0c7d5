import Foundation
import Testing
@testable import ECGData

/// The WFDB reference reader's summary of one record (`../shared/data/wfdb/expected.json`).
struct ExpectedRecord: Decodable, Sendable, CustomTestStringConvertible {
  struct Digital: Decodable, Sendable {
    let count: Int
    let sum: Int64
    // numpy sums squares in int64, wrapping on overflow.
    let sum_sq: Int64
    let min: Int64
    let max: Int64
    let first: [Int64]
    let last: [Int64]
  }
  struct Smoothed: Decodable, Sendable {
    let count: Int
    let mean: Double
    let std: Double
  }
  struct Signal: Decodable, Sendable {
    let name: String
    let units: String
    let fmt: String
    let gain: Double
    let baseline: Int
    let adc_zero: Int
    let samples_per_frame: Int
    let digital: Digital
    let physical_smoothed: Smoothed
  }
  let record: String
  let fs: Double
  let n_frames: Int
  let n_signals: Int
  let comments: [String]?
  let signals: [Signal]

  var testDescription: String { record }

  static func all() -> [ExpectedRecord] {
    struct File: Decodable { let records: [ExpectedRecord] }
    let url = Fixtures.wfdb.appendingPathComponent("expected.json")
    guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
    return file.records
  }
}

/// Every record in `expected.json` read and compared with the WFDB reference reader.
@Suite struct WFDBParityTests {
  @Test func expectedFileHasRecords() {
    #expect(!ExpectedRecord.all().isEmpty, "no records in \(Fixtures.wfdb.path)/expected.json")
  }

  @Test(arguments: ExpectedRecord.all())
  func record(_ expected: ExpectedRecord) throws {
    let record = try WFDBRecord(contentsOf: Fixtures.wfdb.appendingPathComponent(expected.record).path)
    #expect(record.header.samplingFrequency == expected.fs)
    #expect(record.numberOfFrames == expected.n_frames)
    #expect(record.header.signals.count == expected.n_signals)
    if let comments = expected.comments { #expect(record.header.comments == comments) }
    for (index, want) in expected.signals.enumerated() {
      let spec = record.header.signals[index]
      #expect(spec.description == want.name)
      #expect(spec.units == want.units)
      #expect(String(spec.format.rawValue) == want.fmt)
      #expect(spec.gain == want.gain)
      #expect(spec.baseline == want.baseline)
      #expect(spec.adcZero == want.adc_zero)
      #expect(spec.samplesPerFrame == want.samples_per_frame)

      let digital = record.digital[index].map(Int64.init)
      #expect(digital.count == want.digital.count)
      #expect(digital.reduce(0, &+) == want.digital.sum)
      #expect(digital.reduce(0) { $0 &+ $1 &* $1 } == want.digital.sum_sq, "sum of squares of \(want.name)")
      #expect(digital.min() == want.digital.min)
      #expect(digital.max() == want.digital.max)
      #expect(Array(digital.prefix(want.digital.first.count)) == want.digital.first, "first samples of \(want.name)")
      #expect(Array(digital.suffix(want.digital.last.count)) == want.digital.last, "last samples of \(want.name)")

      let physical = record.physical(index)
      #expect(physical.count == want.physical_smoothed.count)
      let mean = physical.reduce(0, +) / Double(physical.count)
      let std = (physical.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(physical.count)).squareRoot()
      let wantMean = want.physical_smoothed.mean
      let wantStd = want.physical_smoothed.std
      #expect(abs(mean - wantMean) <= 1e-9 * abs(wantMean), "mean of \(want.name): \(mean) vs \(wantMean)")
      #expect(abs(std - wantStd) <= 1e-9 * abs(wantStd), "std of \(want.name)")
    }
  }
}
