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

  @Test func badOptionsAreRejected() {
    #expect(throws: (any Error).self) { try DataSynthCommand.parse(["--count", "0", "--out", "x"]) }
    #expect(throws: (any Error).self) { try DataSynthCommand.parse(["--count", "3"]) }
    #expect(throws: (any Error).self) { try DataSynthCommand.parse(["--count", "3", "--out", "x", "--threads", "0"]) }
  }
}
