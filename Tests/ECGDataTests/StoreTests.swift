import Foundation
import Testing

@testable import ECGData

@Suite struct StoreTests {
  static func window(_ record: String, _ fill: Float, length: Int, source: String = "wfdb", patient: String = "p")
    -> StoredWindow
  {
    let metadata = WindowMetadata(
      recordID: record, source: source, path: "/raw/\(record)", patientID: patient, report: "report \(record)",
      labels: ["NORM": 100], classes: ["NORM"], originalRate: 500, leadNames: StandardLeads.names,
      leadMask: Array(repeating: true, count: 12), window: 0, referenceStem: record)
    let values = (0..<(12 * length)).map { fill + Float($0) }
    return StoredWindow(
      values: values, metadata: metadata,
      splitKey: SplitKey(
        source: source, record: record, patient: patient, official: nil, referenceFile: record + "_0.npy"))
  }

  @Test func writeReadVerify() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("store")
    let writer = try StoreWriter(url: url, settings: ["a": "1"], segmentLength: 4, overwrite: false)
    try writer.writeShard(
      0, windows: [Self.window("r0", 0, length: 4), Self.window("r1", 1000, length: 4)], summary: PreprocessSummary())
    try writer.writeShard(1, windows: [], summary: PreprocessSummary())
    try writer.writeShard(2, windows: [Self.window("r2", 2000, length: 4)], summary: PreprocessSummary())
    #expect(!FileManager.default.fileExists(atPath: url.path))
    #expect(throws: StoreError.self) { try DatasetStore(url: url) }
    let manifest = try writer.finish(shardCount: 3, samplingRate: 250, policy: .patient, seed: 0, createdBy: "test")
    #expect(manifest.windowCount == 3)
    #expect(manifest.recordCount == 3)
    #expect(!FileManager.default.fileExists(atPath: url.path + ".partial"))

    let store = try DatasetStore(url: url)
    try store.verify()
    #expect(store.count == 3)
    #expect(store.windowSize == 48)
    #expect(store.window(at: 2)[0] == 2000)
    #expect(store.window(at: 1)[47] == 1047)
    store.withWindow(at: 0) { #expect($0[5] == 5) }
    var batch = [Float](repeating: 0, count: 2 * 48)
    batch.withUnsafeMutableBufferPointer { store.copyWindows([2, 0], into: $0) }
    #expect(batch[0] == 2000 && batch[48] == 0 && batch[95] == 47)
    #expect(try store.metadata(at: 2).recordID == "r2")
    #expect(try store.metadata(at: 1).report == "report r1")
    // Every window has patient "p", so all share one split.
    let split = store.split(at: 0)
    #expect(store.indices(in: split) == [0, 1, 2])
  }

  @Test func resumeKeepsFinishedShardsAndRejectsOtherSettings() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("store")
    do {
      // The first run ends (and releases its lock) before the second starts.
      let first = try StoreWriter(url: url, settings: ["a": "1"], segmentLength: 4, overwrite: false)
      try first.writeShard(0, windows: [Self.window("r0", 0, length: 4)], summary: PreprocessSummary())
    }
    let again = try StoreWriter(url: url, settings: ["a": "1"], segmentLength: 4, overwrite: false)
    #expect(again.isShardDone(0))
    #expect(!again.isShardDone(1))
    #expect(throws: StoreError.self) {  // `again` holds the lock
      try StoreWriter(url: url, settings: ["a": "1"], segmentLength: 4, overwrite: false)
    }
    withExtendedLifetime(again) {}
    #expect(throws: StoreError.self) {
      try StoreWriter(url: url, settings: ["a": "2"], segmentLength: 4, overwrite: false)
    }
  }

  /// A finished store of one 4-sample window in `folder`.
  static func oneWindowStore(in folder: URL, createdBy: String = "test") throws -> URL {
    let url = folder.appendingPathComponent("store")
    let writer = try StoreWriter(url: url, settings: [:], segmentLength: 4, overwrite: false)
    try writer.writeShard(0, windows: [Self.window("r0", 0, length: 4)], summary: PreprocessSummary())
    try writer.finish(shardCount: 1, samplingRate: 250, policy: .patient, seed: 0, createdBy: createdBy)
    return url
  }

  @Test func damagedShardFailsVerification() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try Self.oneWindowStore(in: folder)
    let shard = url.appendingPathComponent("shards/00000.f32")
    var bytes = try Data(contentsOf: shard)
    bytes[0] ^= 0xFF
    try bytes.write(to: shard)
    #expect(throws: StoreError.self) { try DatasetStore(url: url).verify() }
  }

  @Test func aTruncatedOrDamagedStoreIsNamedWithWhatMadeIt() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = try Self.oneWindowStore(in: folder, createdBy: "ecg data synth --out s")
    let shard = url.appendingPathComponent("shards/00000.f32")
    try Data(try Data(contentsOf: shard).prefix(10)).write(to: shard)
    let short = #expect(throws: StoreError.self) { try DatasetStore(url: url) }
    #expect(short?.message.hasPrefix("\(url.path): shards/00000.f32 has 10 bytes") == true, "\(short?.message ?? "")")
    #expect(short?.message.contains("re-create it (it was made by `ecg data synth --out s`)") == true)
    let manifest = url.appendingPathComponent("store.json")
    try Data(try Data(contentsOf: manifest).prefix(30)).write(to: manifest)
    let cut = #expect(throws: StoreError.self) { try DatasetStore(url: url) }
    #expect(cut?.message.contains("is not a valid store manifest (") == true, "\(cut?.message ?? "")")
    #expect(cut?.message.contains("DecodingError") == false && cut?.message.contains("re-create it") == true)
  }

  @Test func xxhash64KnownValues() {
    func hex(_ bytes: [UInt8]) -> String { bytes.withUnsafeBytes { XXHash64.hex($0) } }
    #expect(hex([]) == "ef46db3751d8e999")
    #expect(hex(Array("abc".utf8)) == "44bc2cf5ad770999")
    #expect(hex((0..<100).map(UInt8.init)) == "6ac1e58032166597")
    #expect(hex((0..<37).map(UInt8.init)) == "d93fa2dfee5c24c9")
  }
}

@Suite struct SplitTests {
  @Test func numpyLegacyPermutation() {
    var zero = LegacyNumPyRandom(seed: 0)
    #expect(zero.permutation(10) == [2, 8, 4, 9, 1, 6, 7, 3, 0, 5])
    var fortyTwo = LegacyNumPyRandom(seed: 42)
    #expect(
      fortyTwo.permutation(23) == [15, 9, 0, 8, 17, 12, 1, 13, 5, 2, 11, 20, 3, 4, 18, 16, 21, 22, 7, 10, 14, 19, 6])
    var three = LegacyNumPyRandom(seed: 3)
    #expect(Array(three.permutation(1000).prefix(10)) == [642, 762, 909, 199, 586, 797, 652, 755, 416, 498])
  }

  @Test func referenceFileSplitIsSeventyThirtyOverSortedNames() {
    let keys = (0..<10).map {
      SplitKey(source: "ptb_xl", record: "\($0)", patient: "p", official: nil, referenceFile: "f\($0)_0.npy")
    }
    let splits = SplitAssigner.assign(keys, policy: .referenceFiles, seed: 0)
    // n = 10: n_test = 3 = files[perm[0..<3]] = files 2, 8, 4.
    #expect(splits.indices.filter { splits[$0] == .test } == [2, 4, 8])
  }

  @Test func patientSplitIsDisjointAndRoughlySeventyTenTwenty() {
    let patients = (0..<3000).map { "patient\($0)" }
    let splits = patients.map { SplitAssigner.patientSplit($0, seed: 7) }
    #expect(splits == patients.map { SplitAssigner.patientSplit($0, seed: 7) })
    let train = Double(splits.filter { $0 == .train }.count) / 3000
    let test = Double(splits.filter { $0 == .test }.count) / 3000
    #expect(abs(train - 0.7) < 0.04)
    #expect(abs(test - 0.2) < 0.04)
  }

  @Test func officialFallsBackToPatient() {
    let keys = [SplitKey(source: "ptb_xl", record: "1", patient: "x", official: .validation, referenceFile: "a")]
    #expect(SplitAssigner.assign(keys, policy: .official, seed: 0) == [.validation])
    #expect(SplitAssigner.assign(keys, policy: .patient, seed: 0) == [SplitAssigner.patientSplit("x", seed: 0)])
  }

  @Test func shellWordsQuoteOnlyWhatTheShellWouldSplit() {
    #expect(StoreWriter.shellWord("/data/ptb-xl_1.0") == "/data/ptb-xl_1.0")
    #expect(StoreWriter.shellWord("/data/my ecgs") == "'/data/my ecgs'")
    #expect(StoreWriter.shellWord("/it's") == "'/it'\\''s'")
    #expect(StoreWriter.shellWord("") == "''")
  }
}
