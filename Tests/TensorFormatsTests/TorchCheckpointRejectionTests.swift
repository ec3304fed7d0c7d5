import Foundation
import TensorFormats
import Testing

@Suite struct TorchCheckpointRejectionTests {
  static func read(_ bytes: [UInt8]) throws(TorchCheckpointError) -> TorchCheckpoint {
    try TorchCheckpoint(buffer: ByteBuffer(copying: bytes), path: "test.pt")
  }

  static func maliciousPickle() throws -> [UInt8] {
    Array(try Data(contentsOf: Fixtures.formats.appendingPathComponent("malicious.pkl")))
  }

  @Test func maliciousPickleIsRejectedNamingTheGlobal() throws {
    let error = try #require(throws: TorchCheckpointError.self) {
      try TorchCheckpoint(contentsOf: Fixtures.formats.appendingPathComponent("malicious.pkl"))
    }
    #expect(error.forbiddenGlobal == "posix.system")
    #expect(error.description.contains("posix.system"))
    #expect(!FileManager.default.fileExists(atPath: "/tmp/pwned"))
  }

  @Test func maliciousPickleInsideACheckpointArchiveIsRejected() throws {
    let archive = TestZip.archive([
      ("evil/data.pkl", try Self.maliciousPickle()), ("evil/byteorder", Array("little".utf8)),
    ])
    let error = try #require(throws: TorchCheckpointError.self) { try Self.read(archive) }
    #expect(error.forbiddenGlobal == "posix.system")
  }

  @Test func truncatedCheckpointsAreRejected() throws {
    let original = Array(try Data(contentsOf: Fixtures.formats.appendingPathComponent("checkpoint.pt")))
    for length in [0, 1, 21, 22, 100, original.count / 2, original.count - 23, original.count - 1] {
      #expect(throws: TorchCheckpointError.self, "length \(length)") { try Self.read(Array(original.prefix(length))) }
    }
  }

  @Test func corruptedStorageFailsItsChecksum() throws {
    var file = Array(try Data(contentsOf: Fixtures.formats.appendingPathComponent("checkpoint.pt")))
    let storage = try #require(try TestZip.referenceEntries().first { $0.name.hasSuffix("/data/0") }).bytes
    let position = try #require(
      (0...(file.count - storage.count)).first { Array(file[$0..<($0 + storage.count)]) == storage })
    file[position + 5] ^= 0x01
    let error = try #require(throws: TorchCheckpointError.self) { try Self.read(file) }
    #expect(error.description.contains("CRC-32"))
    // Without verification the damaged byte is simply read.
    let unverified = try TorchCheckpoint(buffer: ByteBuffer(copying: file), verifyChecksums: false)
    #expect(unverified["model_state_dict"]?["layers.0.weight"]?.tensor != nil)
  }

  @Test func missingStorageRecordIsRejected() throws {
    let entries = try TestZip.referenceEntries().filter { !$0.name.hasSuffix("/data/3") }
    let error = try #require(throws: TorchCheckpointError.self) { try Self.read(TestZip.archive(entries)) }
    #expect(error.description.contains("storage '3'"))
  }

  @Test func compressedEntriesAreRejected() throws {
    let error = try #require(throws: TorchCheckpointError.self) {
      try Self.read(TestZip.archive(try TestZip.referenceEntries(), method: 8))
    }
    #expect(error.description.contains("compressed"))
  }

  @Test func archivesWithoutAPickleAreRejected() throws {
    let error = try #require(throws: TorchCheckpointError.self) {
      try Self.read(TestZip.archive([("a/other.txt", [1, 2])]))
    }
    #expect(error.description.contains("data.pkl"))
    #expect(throws: TorchCheckpointError.self) { try Self.read(Array("not a checkpoint at all".utf8)) }
  }

  @Test func viewOutsideItsStorageIsRejected() throws {
    var entries = try TestZip.referenceEntries()
    let index = try #require(entries.firstIndex { $0.name.hasSuffix("/data.pkl") })
    // The strided view's storage offset is pickled as BININT1 1 right after BINPERSID of storage '8'.
    let pickle = entries[index].bytes
    let marker: [UInt8] = Array("8".utf8) + [0x71]  // BINUNICODE '8' then BINPUT
    let start = try #require(
      (0..<(pickle.count - marker.count)).first { Array(pickle[$0..<($0 + marker.count)]) == marker })
    let persid = try #require((start..<pickle.count).first { pickle[$0] == 0x51 })  // BINPERSID
    #expect(pickle[persid + 1] == 0x4B && pickle[persid + 2] == 1)
    entries[index].bytes[persid + 2] = 200
    let error = try #require(throws: TorchCheckpointError.self) { try Self.read(TestZip.archive(entries)) }
    #expect(error.description.contains("past its storage"))
  }

  @Test func randomCorruptionNeverCrashes() throws {
    let original = Array(try Data(contentsOf: Fixtures.formats.appendingPathComponent("checkpoint.pt")))
    var generator = SplitMix64(seed: 7)
    for _ in 0..<300 {
      var bytes = original
      for _ in 0..<4 {
        bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
      }
      _ = try? Self.read(bytes)
    }
  }
}
