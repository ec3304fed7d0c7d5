import Foundation
import Testing

@testable import ECGData

/// Regressions of `/work/shared/reviews/cli-trial-1.md` in the store writer: each test is a finding's reproduction.
@Suite struct CLITrialStoreTests {
  static func window(_ id: String) -> StoredWindow {
    StoredWindow(
      values: [Float](repeating: 1, count: 12 * 4),
      metadata: WindowMetadata(
        recordID: id, source: "s", path: id, patientID: nil, report: "", labels: [:], classes: [], originalRate: 250,
        leadNames: StandardLeads.names, leadMask: [Bool](repeating: true, count: 12), window: 0, referenceStem: id),
      splitKey: SplitKey(source: "s", record: id, patient: id, official: nil, referenceFile: id + "_0.npy"))
  }

  @Test("finding 1: --overwrite replaces only a store, never the current folder, a parent, the input or a plain folder")
  func overwriteReplacesOnlyStores() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    for path in [".", "..", "/"] {
      #expect(throws: StoreError.self) { try OutputFolder.check(URL(fileURLWithPath: path), overwrite: true) }
    }
    let plain = root.appendingPathComponent("plain")
    try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
    try Data("x".utf8).write(to: plain.appendingPathComponent("keep"))
    #expect(throws: StoreError.self) {
      try StoreWriter(url: plain, settings: [:], segmentLength: 4, overwrite: true)
    }
    let file = root.appendingPathComponent("file")
    try Data("x".utf8).write(to: file)
    #expect(throws: StoreError.self) { try StoreWriter(url: file, settings: [:], segmentLength: 4, overwrite: true) }
    let input = root.appendingPathComponent("raw/px")
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    for out in [input, input.deletingLastPathComponent()] {
      #expect(throws: StoreError.self) {
        try StoreWriter(url: out, settings: [:], segmentLength: 4, overwrite: true, inputs: [input])
      }
    }
    #expect(FileManager.default.fileExists(atPath: plain.appendingPathComponent("keep").path))
    #expect(FileManager.default.fileExists(atPath: file.path))
    #expect(FileManager.default.fileExists(atPath: input.path))
    // A folder named like a work folder that ecg did not write is not cleared either.
    let foreign = root.appendingPathComponent("x.partial")
    try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: true)
    #expect(throws: StoreError.self) {
      try StoreWriter(url: root.appendingPathComponent("x"), settings: [:], segmentLength: 4, overwrite: true)
    }
  }

  @Test("finding 5 and 15: a damaged finished shard (size, checksum, missing index) is redone on resume")
  func damagedShardsAreRedone() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = root.appendingPathComponent("store")
    func writer() throws -> StoreWriter {
      try StoreWriter(url: url, settings: ["a": "1"], segmentLength: 4, overwrite: false)
    }
    do {
      let first = try writer()
      for shard in 0..<3 {
        try first.writeShard(shard, windows: [Self.window("r\(shard)")], summary: PreprocessSummary())
      }
    }
    let shards = URL(fileURLWithPath: url.path + ".partial/shards")
    try FileHandle(forWritingTo: shards.appendingPathComponent("00000.f32")).truncate(atOffset: 10)
    var bytes = try Data(contentsOf: shards.appendingPathComponent("00001.f32"))
    bytes[0] ^= 0xFF
    try bytes.write(to: shards.appendingPathComponent("00001.f32"))
    try FileManager.default.removeItem(at: shards.appendingPathComponent("00002.jsonl"))
    let again = try writer()
    #expect(!again.isShardDone(0) && !again.isShardDone(1) && !again.isShardDone(2))
    #expect(!FileManager.default.fileExists(atPath: shards.appendingPathComponent("00000.done.json").path))
    for shard in 0..<3 {
      try again.writeShard(shard, windows: [Self.window("r\(shard)")], summary: PreprocessSummary())
    }
    #expect(again.isShardDone(0))
    try again.finish(shardCount: 3, samplingRate: 250, policy: .patient, seed: 0, createdBy: "test")
    try DatasetStore(url: url).verify()
  }

  @Test("finding 6: a second run on the same store is refused while the first writes")
  func secondWriterIsRefused() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = root.appendingPathComponent("store")
    do {
      let first = try StoreWriter(url: url, settings: [:], segmentLength: 4, overwrite: false)
      #expect {
        try StoreWriter(url: url, settings: [:], segmentLength: 4, overwrite: false)
      } throws: { error in
        (error as? StoreError)?.message.contains("another ecg run") == true
      }
      withExtendedLifetime(first) {}
    }
    // Once the first run is gone, the next one resumes.
    _ = try StoreWriter(url: url, settings: [:], segmentLength: 4, overwrite: false)
  }

  @Test("finding 7: a store larger than the free space is refused before anything is written")
  func sizeIsCheckedAgainstFreeSpace() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = root.appendingPathComponent("g")
    #expect {
      try SyntheticDataset.write(count: Int.max / 2, seed: 0, to: url)
    } throws: { error in
      (error as? StoreError)?.message.contains("free") == true
    }
    #expect(!FileManager.default.fileExists(atPath: url.path + ".partial"))
  }

  @Test("finding 7: preprocess estimates the store's size where the source fixes the record length")
  func preprocessEstimate() {
    var options = PreprocessOptions()
    let ptb = Preprocessor.estimatedBytes(
      source: PTBXLSource(root: URL(fileURLWithPath: "/x")), records: 21_799, options: options)
    #expect(ptb == 21_799 * (2500 * 48 + 1024))
    options.targetRate = 100_000
    options.segmentLength = 1
    let huge = Preprocessor.estimatedBytes(
      source: PTBXLSource(root: URL(fileURLWithPath: "/x")), records: Int.max / 4, options: options)
    #expect(huge == Int.max)
    #expect(
      Preprocessor.estimatedBytes(
        source: ChallengeSource(root: URL(fileURLWithPath: "/x"), kind: .wfdb), records: 5, options: options) == nil)
  }

  @Test("finding 14: a run that stores nothing fails with its reasons and publishes nothing")
  func emptyRunFails() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try SyntheticRecords.write(name: "r0", folder: root.appendingPathComponent("raw"))
    let out = root.appendingPathComponent("store")
    var options = PreprocessOptions()
    options.segmentLength = 99_999
    await #expect {
      _ = try await Preprocessor.run(
        source: ChallengeSource(root: root.appendingPathComponent("raw"), kind: .wfdb), output: out, options: options,
        createdBy: "test")
    } throws: { error in
      (error as? StoreError)?.message.contains("shorter than one window") == true
    }
    #expect(!FileManager.default.fileExists(atPath: out.path))
    #expect(!FileManager.default.fileExists(atPath: out.path + ".partial"))
  }

  @Test("finding 15: file errors are sentences, not NSCocoaErrorDomain dumps")
  func fileErrorsAreSentences() {
    let denied = CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/x/y"])
    #expect(
      FileErrorText.sentence(denied, action: "create", path: "/x/y").hasPrefix("cannot create /x/y: permission denied"))
    #expect(FileErrorText.reason(CocoaError(.fileWriteOutOfSpace)) == "the disk is full")
    #expect(FileErrorText.reason(CocoaError(.fileReadNoSuchFile)) == "no such file or folder")
    #expect(FileErrorText.reason(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))) == "the disk is full")
    // A folder asked for below a file: Foundation says only "error 512".
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("file-\(UUID().uuidString)")
    #expect(FileManager.default.createFile(atPath: file.path, contents: Data()))
    defer { try? FileManager.default.removeItem(at: file) }
    let below = file.appendingPathComponent("runs/pretrain").path
    #expect {
      try FileManager.default.createDirectory(atPath: below, withIntermediateDirectories: true)
    } throws: { error in
      FileErrorText.sentence(error, action: "use", path: below)
        == "cannot use \(below): \(file.path) is a file, not a folder; choose another path"
    }
    #expect {
      try StoreWriter(
        url: URL(fileURLWithPath: "/proc/ecg-no-such/store"), settings: [:], segmentLength: 4, overwrite: false)
    } throws: { error in
      let message = (error as? StoreError)?.message ?? ""
      return message.hasPrefix("cannot create") && !message.contains("NSCocoaErrorDomain")
    }
  }

  @Test("finding 17 and 18: a resume mismatch names what differs; an unfinished store names its command")
  func resumeMismatchNamesTheDifference() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = root.appendingPathComponent("store")
    do {
      _ = try StoreWriter(
        url: url, settings: ["records": "27", "seed": "0"], segmentLength: 4, overwrite: false,
        createdBy: "ecg data synth --count 27 --out store")
    }
    #expect {
      try StoreWriter(url: url, settings: ["records": "26", "seed": "0"], segmentLength: 4, overwrite: false)
    } throws: { error in
      (error as? StoreError)?.message.contains("records: 27 → 26") == true
    }
    #expect {
      try DatasetStore(url: url)
    } throws: { error in
      (error as? StoreError)?.message.contains(
        "re-run `cd \(StoreWriter.shellWord(FileManager.default.currentDirectoryPath)) && ecg data synth --count 27 "
          + "--out store`") == true
    }
  }
}
