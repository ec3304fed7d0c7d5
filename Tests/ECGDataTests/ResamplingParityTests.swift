import Foundation
import Testing

@testable import ECGData

/// The reference's resampling of real records (`reference/tokenizer/*.json`): resampled length, and per
/// window the first eight values and the sum of each lead.
@Suite struct ResamplingParityTests {
  struct Case: Decodable, Sendable, CustomTestStringConvertible {
    struct Segment: Decodable, Sendable {
      let index: Int
      let first_values: [[Double]]
      let lead_sums: [Double]
    }
    let record: String
    let fs: Double
    let leads: [String]
    let resampled_length: Int
    let segments: [Segment]
    var testDescription: String { record }
  }

  static func cases() -> [Case] {
    let folder = Fixtures.reference.appendingPathComponent("tokenizer")
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
      guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { return nil }
      return try? JSONDecoder().decode(Case.self, from: data)
    }
  }

  @Test func casesExist() { #expect(!Self.cases().isEmpty) }

  @Test(arguments: cases())
  func resample(_ reference: Case) throws {
    let record = try WFDBRecord(contentsOf: Fixtures.data.appendingPathComponent("wfdb/\(reference.record)").path)
    #expect(record.header.samplingFrequency == reference.fs)
    let names = record.header.signals.map(\.description)
    let physical = try reference.leads.map { lead -> [Double] in
      let index = try #require(names.firstIndex(of: lead), "lead \(lead) missing")
      return record.physical(index)
    }
    // All leads at once, as preprocessing does it.
    let leads = Resampler.resample(leads: physical, from: reference.fs, to: 250)
    #expect(leads[0].count == reference.resampled_length)
    // A case lists any subset of the record's 2,500-sample windows, each with its `index`; not necessarily all.
    #expect(!reference.segments.isEmpty)
    for segment in reference.segments {
      try #require(
        segment.index >= 0 && (segment.index + 1) * 2500 <= leads[0].count,
        "segment \(segment.index) lies outside the \(leads[0].count) resampled samples")
    }
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * abs(b) + 1e-9 }
    for segment in reference.segments {
      for (lead, first) in segment.first_values.enumerated() {
        let got = (0..<first.count).map { leads[lead][segment.index * 2500 + $0] }
        #expect(
          zip(got, first).allSatisfy { close($0, $1) },
          "segment \(segment.index) lead \(reference.leads[lead]): \(got) vs \(first)")
      }
      for (lead, sum) in segment.lead_sums.enumerated() {
        let got = leads[lead][(segment.index * 2500)..<((segment.index + 1) * 2500)].reduce(0, +)
        #expect(close(got, sum), "segment \(segment.index) lead \(reference.leads[lead]) sum \(got) vs \(sum)")
      }
    }
  }
}
