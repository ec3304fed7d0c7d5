import Foundation
import Testing
import TensorFormats

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
