import Foundation
import TensorFormats
import Testing

/// Inputs the SafeTensors fuzz target (docs/fuzzing.md) failed on, kept as regression tests: a file the reader
/// accepts must be written back by the writer and read again with the same names and metadata.
@Suite struct SafeTensorsFuzzRegressionTests {
  static let inputs = [
    // A tensor named "" (the reader took it, the writer refuses the name: the rewrite trapped in the target).
    "0AAAAAAAAAB7IiI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbMSwyXSwiZGFkdHlwZSI6IkYzMiIsInNoYXBlIjpbMl0sImRhdGFf"
      + "b2Zmc2V0cyI6WzAsOF19LCJiIjp7ImR0eXBlIjoiQkYxNiIsInNoYXBlIjpbMSwyXSwiZGF0YV9vZmZzZXRzIjpbOCwxMl19LCJj"
      + "Ijp7ImR0eXBlIjoiQk9PTCIsInNoYXBlIjpbMF0sInNoYXBlIjpbMF0sImRhdGFfb2Zmc2V0cyI6WzEyLDEyXX19IAAAAAAAAAAA"
      + "AAAA"
  ]

  @Test(arguments: inputs)
  func acceptedFilesRewrite(_ base64: String) throws {
    let bytes = try #require(Data(base64Encoded: base64))
    // A rejection is fine (the reader throws only SafeTensorsError); an accepted file must round-trip.
    guard let file = try? SafeTensorsFile(buffer: ByteBuffer(copying: bytes)) else { return }
    var writer = SafeTensorsWriter(metadata: file.metadata)
    for (name, tensor) in file.orderedTensors { try writer.add(tensor, named: name) }
    let again = try SafeTensorsFile(buffer: ByteBuffer(copying: writer.serialized()))
    #expect(Set(again.names) == Set(file.names))
    #expect(again.metadata == file.metadata)
  }

  @Test func emptyTensorNameIsRejected() {
    let bytes = SafeTensorsMetadataOrderTests.file(
      header: #"{"":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: [1])
    #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(buffer: ByteBuffer(copying: bytes)) }
  }
}
