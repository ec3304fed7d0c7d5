extension PickleMachine {
  /// A 4-byte signed length (BINSTRING, LONG4), which must be non-negative and fit in the input.
  mutating func signedLength() throws -> Int {
    let raw = Int32(truncatingIfNeeded: try reader.unsignedLE(4))
    guard raw >= 0 else { throw malformed("negative length \(raw)") }
    return Int(raw)
  }

  /// A two's-complement little-endian integer (LONG1/LONG4), which must fit in 64 bits.
  func longValue(_ bytes: ArraySlice<UInt8>) throws -> Int64 {
    guard let last = bytes.last else { return 0 }
    let negative = last & 0x80 != 0
    if bytes.count > 8 {
      let extra = bytes.dropFirst(8)
      let signByte: UInt8 = negative ? 0xff : 0x00
      let fits = extra.allSatisfy { $0 == signByte } && ((bytes[bytes.startIndex + 7] & 0x80 != 0) == negative)
      guard fits else { throw PickleError.invalidValue("integer of \(bytes.count) bytes does not fit in 64 bits") }
    }
    var value: UInt64 = negative ? ~0 : 0
    for (index, byte) in bytes.prefix(8).enumerated() {
      value &= ~(UInt64(0xff) << (8 * UInt64(index)))
      value |= UInt64(byte) << (8 * UInt64(index))
    }
    return Int64(bitPattern: value)
  }

  func ascii(_ bytes: ArraySlice<UInt8>) throws -> String {
    guard bytes.allSatisfy({ $0 < 0x80 }) else {
      throw PickleError.invalidText("\(opcodeName) argument is not ASCII", offset: opcodeOffset)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  func utf8(_ bytes: ArraySlice<UInt8>) throws -> String {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw PickleError.invalidText("\(opcodeName) string is not valid UTF-8", offset: opcodeOffset)
    }
    return text
  }

  func decimal(_ line: ArraySlice<UInt8>) throws -> Int {
    guard let value = Int(try ascii(line).trimmingSpaces) else {
      throw malformed("'\(try ascii(line))' is not a decimal integer")
    }
    return value
  }

  /// INT: a decimal line; "00" and "01" are protocol 0's False and True.
  mutating func textInt() throws -> PickleValue {
    let text = try ascii(try reader.line()).trimmingSpaces
    if text == "00" { return .bool(false) }
    if text == "01" { return .bool(true) }
    guard let value = Int64(text) else { throw malformed("'\(text)' is not a 64-bit integer") }
    return .int(value)
  }

  mutating func textLong() throws -> Int64 {
    var text = try ascii(try reader.line()).trimmingSpaces
    if text.hasSuffix("L") { text.removeLast() }
    guard let value = Int64(text) else { throw malformed("'\(text)' is not a 64-bit integer") }
    return value
  }

  mutating func textFloat() throws -> Double {
    let text = try ascii(try reader.line()).trimmingSpaces
    guard let value = Double(text) else { throw malformed("'\(text)' is not a float") }
    return value
  }

  /// A protocol 0-2 `str` (Python 2 bytes): text when it is valid UTF-8, bytes otherwise.
  func python2String<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> PickleValue {
    if let text = String(validating: bytes, as: UTF8.self) { return .string(text) }
    return .bytes(Array(bytes))
  }

  /// STRING: a Python repr in quotes, with backslash escapes.
  func quotedString(_ line: ArraySlice<UInt8>) throws -> [UInt8] {
    guard line.count >= 2, let quote = line.first, quote == line.last,
      quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")
    else { throw malformed("string argument is not quoted") }
    return try unescape(line.dropFirst().dropLast())
  }

  private func unescape(_ body: ArraySlice<UInt8>) throws -> [UInt8] {
    var output: [UInt8] = []
    var index = body.startIndex
    func hex(_ count: Int) throws -> UInt8 {
      guard body.endIndex - index >= count,
        let value = UInt8(String(decoding: body[index..<index + count], as: UTF8.self), radix: 16)
      else { throw malformed("bad \\x escape") }
      index += count
      return value
    }
    while index < body.endIndex {
      let byte = body[index]
      index += 1
      guard byte == UInt8(ascii: "\\") else {
        output.append(byte)
        continue
      }
      guard index < body.endIndex else { throw malformed("string ends in a backslash") }
      let escape = body[index]
      index += 1
      switch escape {
      case UInt8(ascii: "n"): output.append(10)
      case UInt8(ascii: "t"): output.append(9)
      case UInt8(ascii: "r"): output.append(13)
      case UInt8(ascii: "a"): output.append(7)
      case UInt8(ascii: "b"): output.append(8)
      case UInt8(ascii: "f"): output.append(12)
      case UInt8(ascii: "v"): output.append(11)
      case UInt8(ascii: "x"): output.append(try hex(2))
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        var value = Int(escape - UInt8(ascii: "0"))
        var digits = 1
        while digits < 3, index < body.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(body[index]) {
          value = value * 8 + Int(body[index] - UInt8(ascii: "0"))
          index += 1
          digits += 1
        }
        output.append(UInt8(truncatingIfNeeded: value))
      default: output.append(escape)  // \\ \' \" (and unknown escapes kept literally, as Python does for the char)
      }
    }
    return output
  }

  /// UNICODE: raw-unicode-escape (latin-1 bytes plus \uXXXX and \UXXXXXXXX).
  func rawUnicodeEscape(_ line: ArraySlice<UInt8>) throws -> String {
    var scalars = String.UnicodeScalarView()
    var index = line.startIndex
    while index < line.endIndex {
      let byte = line[index]
      if byte == UInt8(ascii: "\\"), index + 1 < line.endIndex,
        line[index + 1] == UInt8(ascii: "u") || line[index + 1] == UInt8(ascii: "U")
      {
        let width = line[index + 1] == UInt8(ascii: "u") ? 4 : 8
        let start = index + 2
        guard line.endIndex - start >= width,
          let code = UInt32(String(decoding: line[start..<start + width], as: UTF8.self), radix: 16),
          let scalar = Unicode.Scalar(code)
        else { throw PickleError.invalidText("bad \\u escape in UNICODE", offset: opcodeOffset) }
        scalars.append(scalar)
        index = start + width
      } else {
        scalars.append(Unicode.Scalar(byte))
        index += 1
      }
    }
    return String(scalars)
  }
}

extension String {
  var trimmingSpaces: String {
    var view = Substring(self)
    while view.first?.isWhitespace == true { view.removeFirst() }
    while view.last?.isWhitespace == true { view.removeLast() }
    return String(view)
  }
}
