import Testing

@testable import TensorFormats

@Suite struct CRC32Tests {
  @Test func knownChecksums() {
    #expect(Array("".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0)
    #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
    let text = Array("The quick brown fox jumps over the lazy dog".utf8)
    #expect(text.withUnsafeBytes { CRC32.checksum($0) } == 0x414F_A339)
  }

  @Test func everyLengthAndAlignmentMatchesTheBytewiseDefinition() {
    var generator = SplitMix64(seed: 3)
    let bytes = (0..<100).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    for start in 0..<9 {
      for end in start...bytes.count {
        let slice = Array(bytes[start..<end])
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in slice {
          crc ^= UInt32(byte)
          for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        #expect(bytes[start..<end].withUnsafeBytes { CRC32.checksum($0) } == ~crc)
      }
    }
  }
}
