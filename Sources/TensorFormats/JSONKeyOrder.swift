/// The order of keys in JSON text, which `JSONDecoder` does not keep.
enum JSONKeyOrder {
  /// The keys of the object stored under `member` in the top-level object of `json`, in the order the text lists
  /// them; nil when the text is not an object or `member` does not hold one. Meant for text `JSONDecoder` has
  /// already accepted: it checks only what it needs to find its way and never traps on other input.
  static func keys(ofObjectIn member: String, of json: UnsafeRawBufferPointer) -> [String]? {
    var scanner = Scanner(bytes: json)
    guard scanner.consume(UInt8(ascii: "{")) else { return nil }
    while let key = scanner.string(), scanner.consume(UInt8(ascii: ":")) {
      if key == member { return scanner.objectKeys() }
      guard scanner.skipValue(), scanner.consume(UInt8(ascii: ",")) else { return nil }
    }
    return nil
  }

  private struct Scanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    /// The next non-space byte, without consuming it.
    mutating func peek() -> UInt8? {
      while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
      return index < bytes.count ? bytes[index] : nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
      guard peek() == byte else { return false }
      index += 1
      return true
    }

    /// The keys of the object that starts here, skipping their values.
    mutating func objectKeys() -> [String]? {
      guard consume(UInt8(ascii: "{")) else { return nil }
      var keys: [String] = []
      if consume(UInt8(ascii: "}")) { return keys }
      while let key = string(), consume(UInt8(ascii: ":")), skipValue() {
        keys.append(key)
        if consume(UInt8(ascii: "}")) { return keys }
        guard consume(UInt8(ascii: ",")) else { return nil }
      }
      return nil
    }

    /// Skips one value of any kind; nested brackets are counted, not recursed into.
    mutating func skipValue() -> Bool {
      guard let first = peek() else { return false }
      if first == UInt8(ascii: "\"") { return string() != nil }
      var depth = 0
      while index < bytes.count {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\""):
          guard string() != nil else { return false }
          continue
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          if depth == 0 { return true }
          depth -= 1
        case UInt8(ascii: ","):
          if depth == 0 { return true }
        default: break
        }
        index += 1
        if depth == 0 && (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) { return true }
      }
      return depth == 0
    }

    /// The string literal that starts here, unescaped.
    mutating func string() -> String? {
      guard consume(UInt8(ascii: "\"")) else { return nil }
      var utf8: [UInt8] = []
      var pendingHighSurrogate: UInt32?
      while index < bytes.count {
        let byte = bytes[index]
        index += 1
        if byte == UInt8(ascii: "\"") { return String(decoding: utf8, as: UTF8.self) }
        guard byte == UInt8(ascii: "\\") else {
          utf8.append(byte)
          continue
        }
        guard index < bytes.count else { return nil }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count,
            let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
          else { return nil }
          index += 4
          var scalar: Unicode.Scalar?
          if (0xD800..<0xDC00).contains(code) {
            pendingHighSurrogate = code
            continue
          } else if (0xDC00..<0xE000).contains(code), let high = pendingHighSurrogate {
            scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00))
          } else {
            scalar = Unicode.Scalar(code)
          }
          utf8.append(contentsOf: Array(String(Character(scalar ?? "\u{FFFD}")).utf8))
        default: utf8.append(escape)  // \" \\ \/
        }
        pendingHighSurrogate = nil
      }
      return nil
    }
  }
}
