/// The few protobuf wire-format encodings a TensorBoard event needs (varint, fixed32, fixed64,
/// length-delimited), appended to a byte buffer in field order.
struct ProtobufEncoder {
  private(set) var bytes: [UInt8] = []

  /// A field key: (number << 3) | wire type.
  private mutating func key(_ field: Int, _ wireType: Int) { varint(UInt64(field << 3 | wireType)) }

  private mutating func varint(_ value: UInt64) {
    var value = value
    while value >= 0x80 {
      bytes.append(UInt8(value & 0x7F) | 0x80)
      value >>= 7
    }
    bytes.append(UInt8(value))
  }

  /// int64 field (wire type 0; negative values take ten bytes, as protobuf's int64 does).
  mutating func int64(_ field: Int, _ value: Int64) {
    key(field, 0)
    varint(UInt64(bitPattern: value))
  }

  /// double field (wire type 1, little-endian).
  mutating func double(_ field: Int, _ value: Double) {
    key(field, 1)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// float field (wire type 5, little-endian).
  mutating func float(_ field: Int, _ value: Float) {
    key(field, 5)
    withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// bytes / string / embedded message field (wire type 2).
  mutating func bytes(_ field: Int, _ value: [UInt8]) {
    key(field, 2)
    varint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }
}
