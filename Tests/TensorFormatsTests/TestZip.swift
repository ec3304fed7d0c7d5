import Foundation

@testable import TensorFormats

/// Builds small ZIP archives of stored entries, laid out as `torch.save` does, for tests.
enum TestZip {
  /// An archive holding `files` in order; `method` is written into every header.
  static func archive(_ files: [(name: String, bytes: [UInt8])], method: UInt16 = 0) -> [UInt8] {
    var output: [UInt8] = []
    var directory: [UInt8] = []
    for file in files {
      let offset = output.count
      let crc = file.bytes.withUnsafeBytes { CRC32.checksum($0) }
      let name = Array(file.name.utf8)
      output += le(UInt32(0x0403_4B50)) + le(UInt16(20)) + le(UInt16(0)) + le(method) + le(UInt32(0))
      output += le(crc) + le(UInt32(file.bytes.count)) + le(UInt32(file.bytes.count))
      output += le(UInt16(name.count)) + le(UInt16(0)) + name + file.bytes
      directory += le(UInt32(0x0201_4B50)) + le(UInt16(20)) + le(UInt16(20)) + le(UInt16(0)) + le(method) + le(UInt32(0))
      directory += le(crc) + le(UInt32(file.bytes.count)) + le(UInt32(file.bytes.count))
      directory += le(UInt16(name.count)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0))
      directory += le(UInt32(offset)) + name
    }
    let directoryOffset = output.count
    output += directory
    output += le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(files.count)) + le(UInt16(files.count))
    output += le(UInt32(directory.count)) + le(UInt32(directoryOffset)) + le(UInt16(0))
    return output
  }

  /// The entries of the reference checkpoint, in order.
  static func referenceEntries() throws -> [(name: String, bytes: [UInt8])] {
    let buffer = try ByteBuffer(mapping: Fixtures.formats.appendingPathComponent("checkpoint.pt"))
    let archive = try ZipArchive(buffer: buffer)
    return try archive.entries.map { entry in
      (entry.name, buffer.withUnsafeBytes(in: try archive.storedRange(of: entry)) { Array($0) })
    }
  }

  private static func le<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
