import ECGData
import Foundation
import Testing

@testable import ECGCommandLine

/// `ecg preprocess` and `ecg data info` end to end on a small synthetic WFDB folder.
@Suite struct DataPreprocessCommandTests {
  @Test func preprocessThenInfo() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let raw = folder.appendingPathComponent("raw")
    for i in 0..<5 { try BenchDataCommand.writeRecord(name: "r\(i)", folder: raw, seed: i) }
    try "broken 1\n".write(to: raw.appendingPathComponent("bad.hea"), atomically: true, encoding: .utf8)
    let out = folder.appendingPathComponent("store").path
    let command = try PreprocessCommand.parse([
      "--source", "wfdb", "--input", raw.path, "--out", out, "--workers", "2", "--records-per-shard", "2",
      "--split", "patient", "--quiet",
    ])
    try await command.run()
    let store = try DatasetStore(path: out)
    try store.verify()
    #expect(store.count == 5)
    #expect(store.manifest.summary.skipped.values.reduce(0, +) == 1)
    let info = try DataInfoCommand.describe(store, top: 5, verified: true)
    #expect(info.contains("windows    5 from 5 records"))
    #expect(info.contains("shape      [5, 12, 2500] float32 at 250 Hz"))
    #expect(info.contains("426783006"))
    let json = try JSONSerialization.jsonObject(with: Data(DataInfoCommand.json(store).utf8)) as! [String: Any]
    #expect(json["windows"] as? Int == 5)
    #expect((json["labels"] as? [String: Int])?["426783006"] == 5)
    // Re-running onto a finished store is refused without --overwrite.
    let again = try PreprocessCommand.parse(["--source", "wfdb", "--input", raw.path, "--out", out, "--quiet"])
    await #expect(throws: CommandError.self) { try await again.run() }
  }

  @Test func badOptionsAreRejected() {
    #expect(throws: (any Error).self) {
      try PreprocessCommand.parse(["--source", "nope", "--input", "x", "--out", "y"])
    }
    #expect(throws: (any Error).self) {
      try PreprocessCommand.parse(["--source", "wfdb", "--input", "x", "--out", "y", "--segment-len", "0"])
    }
  }
}
