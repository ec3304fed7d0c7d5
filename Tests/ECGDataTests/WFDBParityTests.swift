import Foundation
import TestSupport
import Testing

@testable import ECGData

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
