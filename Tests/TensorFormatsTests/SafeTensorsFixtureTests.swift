import Foundation
import TensorFormats
import Testing

@Suite struct SafeTensorsFixtureTests {
  @Test func referenceFileHasEveryExpectedTensor() throws {
    let expected = try Fixtures.expected()
    let file = try SafeTensorsFile(contentsOf: Fixtures.formats.appendingPathComponent("tensors.safetensors"))
    #expect(!expected.tensors.isEmpty)
    #expect(Set(file.names) == Set(expected.tensors.keys))
    for (name, entry) in expected.namedTensors { try entry.check(file[name], named: name) }
  }

  @Test func referenceFileMetadata() throws {
    let expected = try Fixtures.expected()
    let file = try SafeTensorsFile(contentsOf: Fixtures.formats.appendingPathComponent("tensors.safetensors"))
    #expect(file.metadata == expected.safetensorsMetadata)
  }

  @Test func rewritingTheReferenceFileReproducesItByteForByte() throws {
    let url = Fixtures.formats.appendingPathComponent("tensors.safetensors")
    let file = try SafeTensorsFile(contentsOf: url)
    var writer = SafeTensorsWriter(metadata: file.metadata)
    for (name, tensor) in file.orderedTensors { try writer.add(tensor, named: name) }
    #expect(writer.serialized() == Array(try Data(contentsOf: url)))
  }

  @Test func contiguousTensorsAreNotCopied() throws {
    let file = try SafeTensorsFile(contentsOf: Fixtures.formats.appendingPathComponent("tensors.safetensors"))
    let tensor = try #require(file["layers.0.weight"])
    let bufferStart = tensor.buffer.withUnsafeBytes { $0.baseAddress }
    let viewStart = tensor.withContiguousBytes { $0.baseAddress }
    #expect(viewStart == bufferStart.map { $0 + tensor.storageByteRange.lowerBound })
  }
}
