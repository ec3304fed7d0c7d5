import Foundation
import TensorFormats
import Testing

/// The format does not fix the order of `__metadata__` keys: the reader keeps the file's order and the writer
/// writes insertion order, so a file with unsorted metadata is rewritten byte for byte.
@Suite struct SafeTensorsMetadataOrderTests {
  /// A safetensors file whose header is `json` (space-padded to 8 bytes) followed by `data`.
  static func file(header json: String, data: [UInt8]) -> [UInt8] {
    var text = Array(json.utf8)
    text += repeatElement(UInt8(ascii: " "), count: (8 - text.count % 8) % 8)
    return withUnsafeBytes(of: UInt64(text.count).littleEndian) { Array($0) } + text + data
  }

  @Test func unsortedMetadataIsReadInFileOrderAndRewrittenByteForByte() throws {
    let bytes = Self.file(
      header: #"{"__metadata__":{"z":"last","note":"a \"quoted\" \u00e9","a\ud83d\ude00":"x","format":"pt"},"#
        + #""w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
      data: [0, 0, 128, 63, 0, 0, 0, 64])
    let file = try SafeTensorsFile(buffer: ByteBuffer(copying: bytes))
    #expect(file.metadata.keys == ["z", "note", "a😀", "format"])
    #expect(file.metadata["note"] == "a \"quoted\" é")
    #expect(file.metadata == ["format": "pt", "z": "last", "note": "a \"quoted\" é", "a😀": "x"] as [String: String])

    var writer = SafeTensorsWriter(metadata: file.metadata)
    for (name, tensor) in file.orderedTensors { try writer.add(tensor, named: name) }
    let again = try SafeTensorsFile(buffer: ByteBuffer(copying: writer.serialized()))
    #expect(again.metadata == file.metadata)
    #expect(again.metadata.keys == file.metadata.keys)
  }

  @Test func writerKeepsInsertionOrder() throws {
    var metadata: SafeTensorsMetadata = ["z": "1", "b": "2"]
    metadata["a"] = "3"
    metadata["z"] = "4"  // an existing key keeps its place
    var writer = SafeTensorsWriter(metadata: metadata)
    try writer.add(try StoredTensor(uint8: [7], shape: [1]), named: "t")
    let bytes = writer.serialized()
    let header = String(decoding: bytes[8...], as: UTF8.self)
    #expect(header.hasPrefix(#"{"__metadata__":{"z":"4","b":"2","a":"3"},"t":"#))
    #expect(try SafeTensorsFile(buffer: ByteBuffer(copying: bytes)).metadata.keys == ["z", "b", "a"])
  }

  @Test func unsortedMetadataFileRewritesByteForByte() throws {
    let bytes = Self.file(
      header: #"{"__metadata__":{"b":"1","a":"2"},"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: [9])
    let file = try SafeTensorsFile(buffer: ByteBuffer(copying: bytes))
    var writer = SafeTensorsWriter(metadata: file.metadata)
    for (name, tensor) in file.orderedTensors { try writer.add(tensor, named: name) }
    #expect(writer.serialized() == bytes)
  }

  @Test func dictionaryMetadataIsWrittenSorted() {
    #expect(SafeTensorsMetadata(["b": "1", "a": "2", "c": "3"]).keys == ["a", "b", "c"])
    #expect(SafeTensorsWriter(metadata: ["b": "1", "a": "2"] as [String: String]).metadata.keys == ["a", "b"])
  }

  /// docs/formats.md: a `SafeTensorsMetadata` literal keeps its order; an untyped literal handed to the writer
  /// takes the dictionary initialiser and is sorted.
  @Test func aMetadataLiteralKeepsItsOrderAnUntypedOneIsSorted() {
    let ordered: SafeTensorsMetadata = ["b": "1", "a": "2"]
    #expect(SafeTensorsWriter(metadata: ordered).metadata.keys == ["b", "a"])
    #expect(SafeTensorsWriter(metadata: ["b": "1", "a": "2"]).metadata.keys == ["a", "b"])
  }
}
