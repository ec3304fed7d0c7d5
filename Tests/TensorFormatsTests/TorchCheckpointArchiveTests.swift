import Foundation
import TensorFormats
import Testing

/// Archive layouts beyond the reference fixture: ZIP64, renamed entries, compiled-model prefixes.
@Suite struct TorchCheckpointArchiveTests {
  @Test func zip64ArchivesReadLikeOrdinaryOnes() throws {
    let expected = try Fixtures.expected()
    let archive = TestZip.archive(try TestZip.referenceEntries(), zip64: true)
    let checkpoint = try TorchCheckpoint(buffer: ByteBuffer(copying: archive))
    let model = try #require(checkpoint["model_state_dict"]?.stateDictionary)
    let tensors = Dictionary(uniqueKeysWithValues: model.map { ($0.name, $0.tensor) })
    for (name, entry) in expected.namedTensors { try entry.check(tensors[name], named: name) }
  }

  @Test func anyArchiveFolderNameIsAccepted() throws {
    let entries = try TestZip.referenceEntries().map { entry in
      (name: "epoch_best/" + entry.name.split(separator: "/", maxSplits: 1)[1], bytes: entry.bytes)
    }
    let checkpoint = try TorchCheckpoint(buffer: ByteBuffer(copying: TestZip.archive(entries)))
    #expect(checkpoint.archiveName == "epoch_best")
    #expect(checkpoint["epoch"]?.intValue == 3)
  }

  @Test func compiledModelPrefixIsRemovedOnConversion() throws {
    let expected = try Fixtures.expected()
    var entries = try TestZip.referenceEntries()
    let index = try #require(entries.firstIndex { $0.name.hasSuffix("/data.pkl") })
    for name in expected.tensors.keys {
      entries[index].bytes = TestZip.replacingString(name, with: "_orig_mod." + name, in: entries[index].bytes)
    }
    let checkpoint = try TorchCheckpoint(buffer: ByteBuffer(copying: TestZip.archive(entries)))
    let names = try #require(checkpoint["model_state_dict"]?.stateDictionary).map(\.name)
    #expect(names.allSatisfy { $0.hasPrefix("_orig_mod.") })

    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let report = try ReferenceCheckpointConverter.convert(checkpoint, to: folder)
    #expect(report.notes.contains { $0.contains("_orig_mod.") })
    let model = try SafeTensorsFile(contentsOf: folder.appendingPathComponent("model.safetensors"))
    #expect(Set(model.names) == Set(expected.tensors.keys))
  }
}

extension TorchCheckpointArchiveTests {
  @Test func deeplyNestedDataIsReadOrRefusedWithoutCrashing() throws {
    for depth in [1_000, 1_999, 5_000] {
      // PROTO 2, then `depth` × (EMPTY_LIST, MARK), then `depth` × APPENDS, STOP: lists nested `depth` deep.
      let pickle: [UInt8] =
        [0x80, 0x02] + Array(repeating: [0x5D, 0x28], count: depth).flatMap { $0 }
        + Array(repeating: 0x65, count: depth) + [0x2E]
      let archive = TestZip.archive([("deep/data.pkl", pickle)])
      do {
        let checkpoint = try TorchCheckpoint(buffer: ByteBuffer(copying: archive))
        #expect(checkpoint.root.tensorsByPath().isEmpty)
        #expect(!checkpoint.root.containsTensors)
        #expect(!checkpoint.root.jsonText().isEmpty)
      } catch {
        #expect(depth > 1_999, "depth \(depth): \(error)")
      }
    }
  }
}
