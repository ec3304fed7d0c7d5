/// A bounds-checked cursor over a byte buffer; every read past the end throws `PickleError.truncated`.
struct ByteReader {
  let bytes: [UInt8]
  private(set) var offset: Int

  init(_ bytes: [UInt8], offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  var isAtEnd: Bool { offset >= bytes.count }

  mutating func byte() throws -> UInt8 {
    guard offset < bytes.count else { throw PickleError.truncated(offset: offset, needed: 1) }
    defer { offset += 1 }
    return bytes[offset]
  }

  mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
    guard count >= 0 else { throw PickleError.malformed("negative length \(count)", offset: offset) }
    guard bytes.count - offset >= count else {
      throw PickleError.truncated(offset: offset, needed: count - (bytes.count - offset))
    }
    defer { offset += count }
    return bytes[offset..<offset + count]
  }

  /// An unsigned little-endian integer of `width` bytes (at most 8).
  mutating func unsignedLE(_ width: Int) throws -> UInt64 {
    var value: UInt64 = 0
    for (shift, byte) in try take(width).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
    return value
  }

  /// A length field of `width` bytes, checked to fit in an `Int` and in the remaining input.
  mutating func length(_ width: Int) throws -> Int {
    let start = offset
    let raw = try unsignedLE(width)
    guard raw <= UInt64(bytes.count - offset) else {
      throw PickleError.truncated(
        offset: offset, needed: raw > UInt64(Int.max) ? Int.max : Int(raw) - (bytes.count - offset)
      )
      .withOffset(start)
    }
    return Int(raw)
  }

  /// Bytes up to (not including) the next newline, which is consumed.
  mutating func line() throws -> ArraySlice<UInt8> {
    guard let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) else {
      throw PickleError.truncated(offset: bytes.count, needed: 1)
    }
    defer { offset = end + 1 }
    return bytes[offset..<end]
  }
}

extension PickleError {
  fileprivate func withOffset(_ offset: Int) -> PickleError {
    if case .truncated(_, let needed) = self { return .truncated(offset: offset, needed: needed) }
    return self
  }
}
