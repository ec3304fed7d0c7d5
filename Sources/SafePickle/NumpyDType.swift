/// The NumPy element types this reader understands (always little-endian or single-byte).
public enum NumpyDType: String, Sendable, Equatable, CaseIterable {
  case bool = "b1"
  case int8 = "i1", int16 = "i2", int32 = "i4", int64 = "i8"
  case uint8 = "u1", uint16 = "u2", uint32 = "u4", uint64 = "u8"
  case float16 = "f2", float32 = "f4", float64 = "f8"
  /// Python objects (only in `.npy` files read with pickles allowed, and `PickleGlobals.numpyWithObjectArrays`).
  case object = "O"

  /// Bytes per element (0 for object arrays, which hold values instead of bytes).
  public var itemSize: Int {
    switch self {
    case .bool, .int8, .uint8: return 1
    case .int16, .uint16, .float16: return 2
    case .int32, .uint32, .float32: return 4
    case .int64, .uint64, .float64: return 8
    case .object: return 0
    }
  }

  public var isFloatingPoint: Bool { self == .float16 || self == .float32 || self == .float64 }

  /// Parses a NumPy type string such as `<f8`, `|u1`, `?` or `O`, given its byte order separately if it has none.
  public init(descriptor: String, byteOrder: Character? = nil) throws {
    var code = Substring(descriptor)
    var order = byteOrder ?? "|"
    if let first = code.first, "<>|=".contains(first) {
      order = first
      code = code.dropFirst()
    }
    let aliases: [Substring: String] = [
      "?": "b1", "b": "i1", "B": "u1", "h": "i2", "H": "u2", "i": "i4", "I": "u4", "l": "i8", "L": "u8", "q": "i8",
      "Q": "u8", "e": "f2", "f": "f4", "d": "f8", "O8": "O", "O4": "O",
    ]
    let canonical = aliases[code] ?? String(code)
    guard let dtype = NumpyDType(rawValue: canonical) else {
      throw PickleError.invalidValue(
        "NumPy dtype '\(descriptor)' is not supported (only bool, int, uint and float arrays)")
    }
    if order == ">" && dtype.itemSize > 1 {
      throw PickleError.invalidValue(
        "big-endian NumPy arrays ('\(descriptor)') are not supported; save them little-endian, e.g. a.astype('<\(canonical)')"
      )
    }
    self = dtype
  }
}
