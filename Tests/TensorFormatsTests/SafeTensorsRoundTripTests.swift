import Foundation
import TensorFormats
import Testing

@Suite struct SafeTensorsRoundTripTests {
  /// One tensor of every element type, with awkward values (subnormals, infinities, extremes).
  static func sampleTensors() throws -> [String: StoredTensor] {
    [
      "f64": try StoredTensor(float64: [1.5, -0.0, .infinity, 1e-300, .greatestFiniteMagnitude, -3], shape: [2, 3]),
      "f32": try StoredTensor(float32: [0.1, -2, .leastNonzeroMagnitude, -.infinity], shape: [2, 2]),
      "f16": try StoredTensor(float16: [1, -0.5, 65504, 5.9604645e-8], shape: [4]),
      "bf16": try StoredTensor(bfloat16: [1, -0.5, 3.3895314e38, 0.15625], shape: [1, 4]),
      "i64": try StoredTensor(int64: [.min, -1, 0, .max], shape: [4, 1]),
      "i32": try StoredTensor(int32: [.min, 7, .max], shape: [3]),
      "u8": try StoredTensor(uint8: [0, 128, 255], shape: [3]),
      "bool": try StoredTensor(bool: [true, false, true, true], shape: [2, 2]),
      "scalar": try StoredTensor(float32: [2.5], shape: []),
      "empty": try StoredTensor(float32: [], shape: [0, 3]),
    ]
  }

  @Test func everyElementTypeAndMetadataSurviveAFile() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let tensors = try Self.sampleTensors()
    var writer = SafeTensorsWriter(metadata: ["format": "pt", "quote \"and\" \\ slash": "line\nbreak é"])
    for (name, tensor) in tensors { try writer.add(tensor, named: name) }
    let url = folder.appendingPathComponent("model.safetensors")
    try writer.write(to: url)

    let file = try SafeTensorsFile(contentsOf: url)
    #expect(file.metadata == writer.metadata)
    #expect(Set(file.names) == Set(tensors.keys))
    for (name, tensor) in tensors {
      let read = try #require(file[name])
      #expect(read.dtype == tensor.dtype, "\(name)")
      #expect(read.shape == tensor.shape, "\(name)")
      #expect(read.contiguousBytes() == tensor.contiguousBytes(), "\(name)")
    }
    #expect(try file["f16"]!.floatValues() == [1, -0.5, 65504, 5.9604645e-8])
    #expect(try file["bf16"]!.floatValues() == [1, -0.5, 3.3895314e38, 0.15625])
    #expect(try file["i64"]!.int64Values() == [.min, -1, 0, .max])
    #expect(try file["i32"]!.int32Values() == [.min, 7, .max])
    #expect(try file["bool"]!.boolValues() == [true, false, true, true])
    #expect(try file["f64"]!.doubleValues() == [1.5, -0.0, .infinity, 1e-300, .greatestFiniteMagnitude, -3])
  }

  @Test func headerIsPaddedWithSpacesToEightBytesAndDataIsAligned() throws {
    var writer = SafeTensorsWriter()
    try writer.add(try StoredTensor(uint8: [1, 2, 3], shape: [3]), named: "a")
    try writer.add(try StoredTensor(int64: [5], shape: [1]), named: "bb")
    let bytes = writer.serialized()
    let length = Int(bytes[0..<8].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    #expect(length % 8 == 0)
    #expect(bytes[8 + length - 1] == UInt8(ascii: " ") || bytes[8 + length - 1] == UInt8(ascii: "}"))
    let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
    // The reference writer orders by dtype, widest first, so I64 precedes U8.
    #expect(header.hasPrefix(#"{"bb":{"dtype":"I64","shape":[1],"data_offsets":[0,8]},"a":"#))
  }

  @Test func writingReplacesAnExistingFileAndLeavesNoTemporaries() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("x.safetensors")
    try Data("old".utf8).write(to: url)
    var writer = SafeTensorsWriter()
    try writer.add(try StoredTensor(int32: [1], shape: [1]), named: "x")
    try writer.write(to: url)
    #expect(try SafeTensorsFile(contentsOf: url)["x"]?.int32Values() == [1])
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.safetensors"])
  }

  @Test func duplicateAndReservedNamesAreRefused() throws {
    var writer = SafeTensorsWriter()
    let tensor = try StoredTensor(int32: [1], shape: [1])
    try writer.add(tensor, named: "x")
    #expect(throws: SafeTensorsError(.duplicateName("x"))) { try writer.add(tensor, named: "x") }
    #expect(throws: SafeTensorsError(.invalidName("__metadata__"))) { try writer.add(tensor, named: "__metadata__") }
  }
}
