import Foundation

@testable import TensorFormats

/// Builds small ZIP archives of stored entries, laid out as `torch.save` does, for tests.
enum TestZip {
  /// An archive holding `files` in order; `method` is written into every header. With `zip64`,
  /// sizes, offsets and counts go into ZIP64 fields, as writers do for archives over 4 GB.
  static func archive(_ files: [(name: String, bytes: [UInt8])], method: UInt16 = 0, zip64: Bool = false) -> [UInt8] {
    let unknown32 = UInt32(0xFFFF_FFFF)
    var output: [UInt8] = []
    var directory: [UInt8] = []
    for file in files {
      let offset = output.count
      let crc = file.bytes.withUnsafeBytes { CRC32.checksum($0) }
      let name = Array(file.name.utf8)
      let size = zip64 ? unknown32 : UInt32(file.bytes.count)
      let localExtra =
        zip64 ? le(UInt16(1)) + le(UInt16(16)) + le(UInt64(file.bytes.count)) + le(UInt64(file.bytes.count)) : []
      output += le(UInt32(0x0403_4B50)) + le(UInt16(45)) + le(UInt16(0)) + le(method) + le(UInt32(0))
      output +=
        le(crc) + le(size) + le(size) + le(UInt16(name.count)) + le(UInt16(localExtra.count)) + name + localExtra
      output += file.bytes
      let extra =
        zip64
        ? le(UInt16(1)) + le(UInt16(24)) + le(UInt64(file.bytes.count)) + le(UInt64(file.bytes.count))
          + le(UInt64(offset)) : []
      directory +=
        le(UInt32(0x0201_4B50)) + le(UInt16(45)) + le(UInt16(45)) + le(UInt16(0)) + le(method) + le(UInt32(0))
      directory += le(crc) + le(size) + le(size)
      directory +=
        le(UInt16(name.count)) + le(UInt16(extra.count)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt16(0)) + le(UInt32(0))
      directory += le(zip64 ? unknown32 : UInt32(offset)) + name + extra
    }
    let directoryOffset = output.count
    output += directory
    if zip64 {
      let record = output.count
      output +=
        le(UInt32(0x0606_4B50)) + le(UInt64(44)) + le(UInt16(45)) + le(UInt16(45)) + le(UInt32(0)) + le(UInt32(0))
      output +=
        le(UInt64(files.count)) + le(UInt64(files.count)) + le(UInt64(directory.count)) + le(UInt64(directoryOffset))
      output += le(UInt32(0x0706_4B50)) + le(UInt32(0)) + le(UInt64(record)) + le(UInt32(1))
    }
    let count = zip64 ? UInt16(0xFFFF) : UInt16(files.count)
    output += le(UInt32(0x0605_4B50)) + le(UInt16(0)) + le(UInt16(0)) + le(count) + le(count)
    output +=
      le(zip64 ? unknown32 : UInt32(directory.count)) + le(zip64 ? unknown32 : UInt32(directoryOffset)) + le(UInt16(0))
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

  /// `pickle` with every BINUNICODE string equal to `old` replaced by `new` (length prefixes fixed).
  static func replacingString(_ old: String, with new: String, in pickle: [UInt8]) -> [UInt8] {
    let needle: [UInt8] = [0x58] + le(UInt32(old.utf8.count)) + Array(old.utf8)
    let replacement: [UInt8] = [0x58] + le(UInt32(new.utf8.count)) + Array(new.utf8)
    var result: [UInt8] = []
    var index = 0
    while index < pickle.count {
      if index + needle.count <= pickle.count, Array(pickle[index..<(index + needle.count)]) == needle {
        result += replacement
        index += needle.count
      } else {
        result.append(pickle[index])
        index += 1
      }
    }
    return result
  }

  private static func le<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
  }
}
