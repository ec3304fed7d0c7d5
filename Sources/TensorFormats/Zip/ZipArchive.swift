/// A read-only view of a ZIP archive held in a ``ByteBuffer``, enough for `torch.save` files:
/// it reads the central directory (ZIP64 included) and locates stored entries in place, so
/// tensor data is never copied out of the mapping.
struct ZipArchive {
  /// One file in the archive.
  struct Entry {
    let name: String
    /// 0 = stored; anything else is compressed.
    let method: UInt16
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let localHeaderOffset: Int
  }

  let buffer: ByteBuffer
  /// Entries in central-directory order.
  let entries: [Entry]
  private let index: [String: Int]

  /// Parses the central directory of `buffer`.
  init(buffer: ByteBuffer) throws(ZipError) {
    self.buffer = buffer
    let reader = ZipByteReader(buffer: buffer)
    let directory = try Self.centralDirectory(reader)
    var entries: [Entry] = []
    var offset = directory.offset
    for _ in 0..<directory.count {
      let (entry, next) = try Self.directoryEntry(reader, at: offset, end: directory.offset + directory.size)
      entries.append(entry)
      offset = next
    }
    self.entries = entries
    var index: [String: Int] = [:]
    for (position, entry) in entries.enumerated() where index[entry.name] == nil { index[entry.name] = position }
    self.index = index
  }

  /// The entry named `name`, if present.
  func entry(named name: String) -> Entry? {
    index[name].map { entries[$0] }
  }

  /// The bytes of a stored entry inside ``buffer``, checked against its CRC-32 when `verify`.
  func storedRange(of entry: Entry, verify: Bool = true) throws(ZipError) -> Range<Int> {
    guard entry.method == 0 else { throw .compressedEntry(name: entry.name, method: entry.method) }
    guard entry.compressedSize == entry.uncompressedSize else {
      throw .corrupt("entry '\(entry.name)' is stored but its sizes differ")
    }
    let reader = ZipByteReader(buffer: buffer)
    let header = entry.localHeaderOffset
    guard try reader.uint32(at: header) == 0x0403_4B50 else {
      throw .corrupt("entry '\(entry.name)' has no local header at offset \(header)")
    }
    let nameLength = Int(try reader.uint16(at: header + 26))
    let extraLength = Int(try reader.uint16(at: header + 28))
    let start = header + 30 + nameLength + extraLength
    let (end, overflow) = start.addingReportingOverflow(entry.compressedSize)
    guard !overflow, end <= buffer.count else {
      throw .corrupt("entry '\(entry.name)' runs past the end of the file; the file is truncated")
    }
    if verify {
      let checksum = buffer.withUnsafeBytes(in: start..<end) { CRC32.checksum($0) }
      guard checksum == entry.crc32 else { throw .checksumMismatch(name: entry.name) }
    }
    return start..<end
  }

  // MARK: Central directory

  private struct Directory {
    let count: Int
    let offset: Int
    let size: Int
  }

  private static func centralDirectory(_ reader: ZipByteReader) throws(ZipError) -> Directory {
    let size = reader.buffer.count
    guard size >= 22 else { throw .notZip(detail: "it has only \(size) bytes") }
    // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
    var position = size - 22
    let lowest = max(0, size - 22 - 65_535)
    var end: Int?
    while position >= lowest {
      if try reader.uint32(at: position) == 0x0605_4B50 {
        end = position
        break
      }
      position -= 1
    }
    guard let end else {
      let startsLikeZip = (try? reader.uint32(at: 0)) == 0x0403_4B50
      throw .notZip(
        detail: startsLikeZip
          ? "its end-of-archive record is missing; the file is truncated" : "no ZIP end-of-archive record")
    }
    var count = Int(try reader.uint16(at: end + 10))
    var directorySize = Int(try reader.uint32(at: end + 12))
    var offset = Int(try reader.uint32(at: end + 16))
    if count == 0xFFFF || directorySize == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
      // ZIP64: a locator just before the end record points at the ZIP64 end record.
      guard end >= 20, try reader.uint32(at: end - 20) == 0x0706_4B50 else {
        throw .corrupt("the ZIP64 end-of-archive locator is missing")
      }
      let record = try reader.int(at: end - 12)
      guard try reader.uint32(at: record) == 0x0606_4B50 else {
        throw .corrupt("the ZIP64 end-of-archive record is missing")
      }
      count = try reader.int(at: record + 32)
      directorySize = try reader.int(at: record + 40)
      offset = try reader.int(at: record + 48)
    }
    guard offset <= size, directorySize <= size - offset else {
      throw .corrupt("the central directory lies outside the file; the file is truncated")
    }
    // Each directory entry is at least 46 bytes, which bounds a forged count.
    guard count <= directorySize / 46 else {
      throw .corrupt("the central directory claims \(count) entries in \(directorySize) bytes")
    }
    return Directory(count: count, offset: offset, size: directorySize)
  }

  private static func directoryEntry(_ reader: ZipByteReader, at offset: Int, end: Int) throws(ZipError) -> (Entry, Int)
  {
    guard offset + 46 <= end, try reader.uint32(at: offset) == 0x0201_4B50 else {
      throw .corrupt("central directory entry at offset \(offset) is damaged")
    }
    let method = try reader.uint16(at: offset + 10)
    let crc = try reader.uint32(at: offset + 16)
    var compressed = Int(try reader.uint32(at: offset + 20))
    var uncompressed = Int(try reader.uint32(at: offset + 24))
    let nameLength = Int(try reader.uint16(at: offset + 28))
    let extraLength = Int(try reader.uint16(at: offset + 30))
    let commentLength = Int(try reader.uint16(at: offset + 32))
    var localHeader = Int(try reader.uint32(at: offset + 42))
    let next = offset + 46 + nameLength + extraLength + commentLength
    guard next <= end else { throw .corrupt("central directory entry at offset \(offset) runs past the directory") }
    let name = String(decoding: try reader.bytes(offset + 46..<(offset + 46 + nameLength)), as: UTF8.self)

    // ZIP64 extra field: 64-bit values for exactly the fields that hold 0xFFFFFFFF, in this order.
    var extra = offset + 46 + nameLength
    let extraEnd = extra + extraLength
    while extra + 4 <= extraEnd {
      let tag = try reader.uint16(at: extra)
      let length = Int(try reader.uint16(at: extra + 2))
      guard extra + 4 + length <= extraEnd else { throw .corrupt("entry '\(name)' has a damaged extra field") }
      if tag == 0x0001 {
        var field = extra + 4
        func next64() throws(ZipError) -> Int {
          guard field + 8 <= extra + 4 + length else { throw .corrupt("entry '\(name)' has a short ZIP64 field") }
          defer { field += 8 }
          return try reader.int(at: field)
        }
        if uncompressed == 0xFFFF_FFFF { uncompressed = try next64() }
        if compressed == 0xFFFF_FFFF { compressed = try next64() }
        if localHeader == 0xFFFF_FFFF { localHeader = try next64() }
      }
      extra += 4 + length
    }
    let entry = Entry(
      name: name, method: method, crc32: crc, compressedSize: compressed, uncompressedSize: uncompressed,
      localHeaderOffset: localHeader)
    return (entry, next)
  }
}

/// Bounds-checked little-endian reads from a buffer.
private struct ZipByteReader {
  let buffer: ByteBuffer

  func bytes(_ range: Range<Int>) throws(ZipError) -> [UInt8] {
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw .corrupt("a record runs past the end of the file")
    }
    return buffer.withUnsafeBytes(in: range) { Array($0) }
  }

  func uint16(at offset: Int) throws(ZipError) -> UInt16 {
    try load(at: offset, as: UInt16.self)
  }

  func uint32(at offset: Int) throws(ZipError) -> UInt32 {
    try load(at: offset, as: UInt32.self)
  }

  /// A 64-bit field that must fit an `Int` (any real offset or size does).
  func int(at offset: Int) throws(ZipError) -> Int {
    let value = try load(at: offset, as: UInt64.self)
    guard value <= UInt64(Int.max) else { throw .corrupt("a ZIP64 size or offset is out of range") }
    return Int(value)
  }

  private func load<Value: FixedWidthInteger>(at offset: Int, as type: Value.Type) throws(ZipError) -> Value {
    let size = MemoryLayout<Value>.size
    guard offset >= 0, offset <= buffer.count - size else {
      throw .corrupt("a record runs past the end of the file; the file is truncated")
    }
    return buffer.withUnsafeBytes(in: offset..<(offset + size)) {
      Value(littleEndian: $0.loadUnaligned(as: Value.self))
    }
  }
}
