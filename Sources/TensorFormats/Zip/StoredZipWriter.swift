/// Builds a zip archive of stored (uncompressed) records in memory, each record's data aligned to 64 bytes
/// by padding its local header's extra field, as PyTorch's writer does (so storages can be memory-mapped).
struct StoredZipWriter {
  private var output: [UInt8] = []
  private var central: [UInt8] = []
  private var count = 0

  /// Appends a record.
  mutating func add(_ name: String, _ data: [UInt8]) {
    let nameBytes = Array(name.utf8)
    let crc = data.withUnsafeBytes { CRC32.checksum($0) }
    let offset = output.count
    let headerEnd = offset + 30 + nameBytes.count
    // Extra field "FB" (id 0x4246) of padding so the data starts at a multiple of 64.
    var padding = (64 - (headerEnd + 4) % 64) % 64
    if headerEnd % 64 == 0 { padding = -4 }
    let extra: [UInt8] =
      padding < 0 ? [] : [0x46, 0x42] + le16(UInt16(padding)) + [UInt8](repeating: 0x5A, count: padding)
    output += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
    output += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
    output += le16(UInt16(nameBytes.count)) + le16(UInt16(extra.count)) + nameBytes + extra
    output += data
    central += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0)
    central += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
    central += le16(UInt16(nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
    central += le32(UInt32(offset)) + nameBytes
    count += 1
  }

  /// The archive: records, central directory, end record.
  mutating func finish() -> [UInt8] {
    let centralOffset = output.count
    var archive = output + central
    archive += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(count)) + le16(UInt16(count))
    archive += le32(UInt32(central.count)) + le32(UInt32(centralOffset)) + le16(0)
    return archive
  }

  private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
