import Foundation
import TensorFormats
import Testing

@Suite struct SafeTensorsMalformedTests {
  /// A file with `header` (as given, unpadded) followed by `dataSize` zero bytes.
  static func file(header: String, dataSize: Int = 0, declaredLength: UInt64? = nil) -> [UInt8] {
    let json = Array(header.utf8)
    let length = declaredLength ?? UInt64(json.count)
    return withUnsafeBytes(of: length.littleEndian) { Array($0) } + json + [UInt8](repeating: 0, count: dataSize)
  }

  static func reason(reading bytes: [UInt8]) -> SafeTensorsError.Reason? {
    do {
      _ = try SafeTensorsFile(buffer: ByteBuffer(copying: bytes))
      return nil
    } catch {
      return error.reason
    }
  }

  static func entry(_ name: String, _ dtype: String = "F32", shape: [Int], offsets: (Int, Int)) -> String {
    #""\#(name)":{"dtype":"\#(dtype)","shape":\#(shape),"data_offsets":[\#(offsets.0),\#(offsets.1)]}"#
  }

  @Test func overlappingOffsetsAreRejected() {
    let header =
      "{" + Self.entry("a", shape: [2], offsets: (0, 8)) + "," + Self.entry("b", shape: [2], offsets: (4, 12)) + "}"
    #expect(Self.reason(reading: Self.file(header: header, dataSize: 12)) == .overlappingOffsets(name: "b", other: "a"))
  }

  @Test func offsetsPastTheEndAreRejected() {
    let header = "{" + Self.entry("a", shape: [4], offsets: (0, 16)) + "}"
    #expect(
      Self.reason(reading: Self.file(header: header, dataSize: 8)) == .offsetsPastEnd(name: "a", end: 16, dataSize: 8))
  }

  @Test func truncatedFileIsRejected() {
    let header = "{" + Self.entry("a", shape: [4], offsets: (0, 16)) + "}"
    let full = Self.file(header: header, dataSize: 16)
    #expect(Self.reason(reading: Array(full.dropLast(3))) == .offsetsPastEnd(name: "a", end: 16, dataSize: 13))
    #expect(Self.reason(reading: Array(full.prefix(5))) == .fileTooSmall(size: 5))
  }

  @Test func headerLengthPastTheEndIsRejected() {
    let bytes = Self.file(header: "{}", declaredLength: 1_000)
    #expect(Self.reason(reading: bytes) == .headerPastEnd(length: 1_000, fileSize: 10))
    #expect(Self.reason(reading: Self.file(header: "{}", declaredLength: .max)) == .headerTooLarge(length: .max))
  }

  @Test func nonJSONHeadersAreRejected() {
    for header in ["{not json", "[1, 2]", "{\"a\": ", "    "] {
      guard case .headerNotJSON = Self.reason(reading: Self.file(header: header)) else {
        Issue.record("header \(header) was not rejected as non-JSON")
        continue
      }
    }
  }

  @Test func unknownDTypeIsRejected() {
    let header = "{" + Self.entry("a", "F8_E4M3", shape: [2], offsets: (0, 2)) + "}"
    #expect(Self.reason(reading: Self.file(header: header, dataSize: 2)) == .unknownDType(name: "a", dtype: "F8_E4M3"))
  }

  @Test func shapeAndByteSizeMismatchIsRejected() {
    let header = "{" + Self.entry("a", shape: [3], offsets: (0, 8)) + "}"
    #expect(
      Self.reason(reading: Self.file(header: header, dataSize: 8))
        == .byteSizeMismatch(name: "a", dtype: .float32, shape: [3], expected: 12, actual: 8))
  }

  @Test func gapsTrailingBytesAndBadFieldsAreRejected() {
    let gap = "{" + Self.entry("a", shape: [1], offsets: (4, 8)) + "}"
    #expect(
      Self.reason(reading: Self.file(header: gap, dataSize: 8))
        == .gapBeforeTensor(name: "a", start: 4, expectedStart: 0))
    let trailing = "{" + Self.entry("a", shape: [1], offsets: (0, 4)) + "}"
    #expect(Self.reason(reading: Self.file(header: trailing, dataSize: 6)) == .trailingBytes(dataEnd: 4, dataSize: 6))
    for header in [
      #"{"a":{"dtype":"F32","shape":[1]}}"#, #"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#,
      #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
      #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#,
      #"{"__metadata__":{"n":1}}"#,
    ] {
      guard case .invalidEntry = Self.reason(reading: Self.file(header: header, dataSize: 4)) else {
        Issue.record("header \(header) was not rejected as a malformed entry")
        continue
      }
    }
  }

  @Test func errorsNameTheFileAndSayWhatIsWrong() throws {
    let folder = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("bad.safetensors")
    try Data(Self.file(header: "{oops")).write(to: url)
    let error = try #require(throws: SafeTensorsError.self) { try SafeTensorsFile(contentsOf: url) }
    #expect(error.description.contains(url.path))
    #expect(error.description.contains("not a valid JSON object"))
  }

  @Test func randomCorruptionNeverCrashes() throws {
    let original = Array(try Data(contentsOf: Fixtures.formats.appendingPathComponent("tensors.safetensors")))
    var generator = SplitMix64(seed: 42)
    for _ in 0..<300 {
      var bytes = original
      for _ in 0..<3 {
        bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
      }
      let cut = Int(generator.next() % UInt64(bytes.count + 1))
      // Either outcome is fine; reading must simply not trap.
      _ = try? SafeTensorsFile(buffer: ByteBuffer(copying: bytes.prefix(generator.next() % 2 == 0 ? bytes.count : cut)))
    }
  }
}

/// A small deterministic generator for corruption tests.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
