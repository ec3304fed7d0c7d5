import ECGData
import Foundation
import Testing

@testable import ECGCommandLine

/// `ecg data synth` end to end: the store holds the generator's records, reports, labels and splits.
@Suite struct DataSynthCommandTests {
  @Test func writesTheGeneratorsRecords() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-synth-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("store").path
    let command = try DataSynthCommand.parse([
      "--count", "30", "--out", out, "--seed", "9", "--records-per-shard", "8", "--threads", "2", "--quiet",
    ])
    try command.run()
    let store = try DatasetStore(path: out)
    try store.verify()
    #expect(store.count == 30)
    #expect(store.manifest.samplingRate == 250)
    #expect(store.manifest.leads == LeadSystem.names)
    #expect(store.manifest.splitPolicy == "patient")
    let generator = SyntheticECGGenerator(seed: 9)
    for i in 0..<30 {
      let ecg = generator.record(at: i)
      #expect(store.window(at: i) == ecg.leadMajorValues)
      let metadata = try store.metadata(at: i)
      #expect(metadata.recordID == ecg.recordID)
      #expect(metadata.patientID == ecg.recordID)
      #expect(metadata.source == "synthetic")
      #expect(metadata.report == ecg.report)
      #expect(metadata.classes == ecg.labels)
      #expect(store.split(at: i) == SplitAssigner.patientSplit(ecg.recordID, seed: 9))
    }
    #expect(Set(Split.allCases.flatMap { split in store.indices(in: split).map { _ in split } }).count >= 2)
    // A finished store is not replaced without --overwrite.
    let again = try DataSynthCommand.parse(["--count", "5", "--out", out, "--quiet"])
    #expect(throws: CommandError.self) { try again.run() }
    let replace = try DataSynthCommand.parse(["--count", "5", "--out", out, "--quiet", "--overwrite"])
    try replace.run()
    #expect(try DatasetStore(path: out).count == 5)
  }

  @Test func drawsRequestedRecords() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-synth-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let plots = folder.appendingPathComponent("plots")
    let command = try DataSynthCommand.parse([
      "--count", "4", "--out", folder.appendingPathComponent("store").path, "--plot-dir", plots.path,
      "--plot-records", "1,3", "--quiet",
    ])
    try command.run()
    let files = try FileManager.default.contentsOfDirectory(atPath: plots.path).sorted()
    #expect(files == ["synth-0000001.svg", "synth-0000003.svg"])
    let svg = try String(contentsOf: plots.appendingPathComponent(files[1]), encoding: .utf8)
    #expect(svg.contains(SyntheticECGGenerator(seed: 0).record(at: 3).report))
  }

  @Test func badOptionsAreRejected() {
    #expect(throws: (any Error).self) { try DataSynthCommand.parse(["--count", "0", "--out", "x"]) }
    #expect(throws: (any Error).self) { try DataSynthCommand.parse(["--count", "3"]) }
    #expect(throws: (any Error).self) { try DataSynthCommand.parse(["--count", "3", "--out", "x", "--threads", "0"]) }
    #expect(throws: (any Error).self) {
      try DataSynthCommand.parse(["--count", "3", "--out", "x", "--plot-records", "1,5"])
    }
    #expect(throws: (any Error).self) {
      try DataSynthCommand.parse(["--count", "3", "--out", "x", "--plot-records", "a"])
    }
  }

  @Test func recordIndicesTakeCommasOrSpaces() throws {
    for given in [["1,2"], ["1", "2"], ["0,1", "2"]] {
      let command = try? DataSynthCommand.parse(["--count", "3", "--out", "x", "--plot-records"] + given)
      #expect(command?.plotRecords.isEmpty == false, "\(given)")
    }
    for bad in [["1", "3"], ["1,", "2"]] {
      #expect(throws: (any Error).self, "\(bad)") {
        try DataSynthCommand.parse(["--count", "3", "--out", "x", "--plot-records"] + bad)
      }
    }
  }
}
