/// A NumPy array read from a pickle or an `.npy` file: its dtype, shape, memory order and raw little-endian bytes.
public struct NumpyArray: Sendable, Equatable {
  /// Raw element bytes, or Python values for object arrays.
  public enum Storage: Sendable, Equatable {
    case bytes([UInt8])
    case objects([PickleValue])
  }

  public var dtype: NumpyDType
  public var shape: [Int]
  /// Whether the storage is in Fortran (column-major) order, as `fortran_order` in NumPy's headers.
  public var isFortranOrder: Bool
  public var storage: Storage

  /// Number of elements (1 for a 0-d array).
  public var count: Int { shape.reduce(1, *) }

  /// An array over raw little-endian bytes; the byte count must match the shape.
  public init(dtype: NumpyDType, shape: [Int], isFortranOrder: Bool = false, bytes: [UInt8]) throws {
    guard dtype != .object else { throw PickleError.invalidValue("object arrays hold values, not bytes") }
    try Self.checkShape(shape)
    let expected = shape.reduce(1, *) * dtype.itemSize
    guard bytes.count == expected else {
      throw PickleError.invalidValue(
        "NumPy \(dtype.rawValue) array of shape \(shape) needs \(expected) bytes, found \(bytes.count)")
    }
    self.dtype = dtype
    self.shape = shape
    self.isFortranOrder = isFortranOrder
    self.storage = .bytes(bytes)
  }

  /// An object array (dtype `O`).
  public init(objects: [PickleValue], shape: [Int], isFortranOrder: Bool = false) throws {
    try Self.checkShape(shape)
    guard objects.count == shape.reduce(1, *) else {
      throw PickleError.invalidValue("NumPy object array of shape \(shape) has \(objects.count) elements")
    }
    self.dtype = .object
    self.shape = shape
    self.isFortranOrder = isFortranOrder
    self.storage = .objects(objects)
  }

  private static func checkShape(_ shape: [Int]) throws {
    guard shape.allSatisfy({ $0 >= 0 }) else {
      throw PickleError.invalidValue("NumPy shape \(shape) has a negative dimension")
    }
    var total = 1
    for dimension in shape {
      let (product, overflow) = total.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= 1 << 40 else { throw PickleError.invalidValue("NumPy shape \(shape) is too large") }
      total = product
    }
  }

  /// The raw bytes in storage order (nil for object arrays).
  public var rawBytes: [UInt8]? {
    if case .bytes(let bytes) = storage { return bytes }
    return nil
  }

  /// The single element of a 0-d or one-element object array (how `np.save` stores a dict), as `a.item()`.
  public func item() throws -> PickleValue {
    guard count == 1 else { throw PickleError.invalidValue("item() needs a one-element array, shape is \(shape)") }
    switch storage {
    case .objects(let objects): return objects[0]
    case .bytes:
      return dtype.isFloatingPoint
        ? .float(try doubles()[0]) : (dtype == .bool ? .bool(try int64s()[0] != 0) : .int(try int64s()[0]))
    }
  }

  /// The elements as `Double`, in logical row-major (C) order whatever the storage order.
  public func doubles() throws -> [Double] {
    cOrder(
      try storageElements { bytes, dtype in
        try (0..<count).map { try Self.double(bytes, at: $0, dtype: dtype) }
      })
  }

  /// The elements as `Float`, in logical row-major (C) order.
  public func floats() throws -> [Float] {
    cOrder(
      try storageElements { bytes, dtype in
        try (0..<count).map {
          dtype == .float32
            ? Float(bitPattern: Self.load(bytes, $0 * 4, UInt32.self))
            : Float(try Self.double(bytes, at: $0, dtype: dtype))
        }
      })
  }

  /// The elements of an integer or bool array as `Int64`, in logical row-major (C) order.
  public func int64s() throws -> [Int64] {
    guard !dtype.isFloatingPoint else {
      throw PickleError.invalidValue("a \(dtype.rawValue) array has no exact integer values")
    }
    return cOrder(
      try storageElements { bytes, dtype in
        try (0..<count).map { index -> Int64 in
          switch dtype {
          case .bool, .uint8: return Int64(bytes[index])
          case .int8: return Int64(Int8(bitPattern: bytes[index]))
          case .int16: return Int64(Int16(bitPattern: Self.load(bytes, index * 2, UInt16.self)))
          case .uint16: return Int64(Self.load(bytes, index * 2, UInt16.self))
          case .int32: return Int64(Int32(bitPattern: Self.load(bytes, index * 4, UInt32.self)))
          case .uint32: return Int64(Self.load(bytes, index * 4, UInt32.self))
          case .int64: return Int64(bitPattern: Self.load(bytes, index * 8, UInt64.self))
          case .uint64:
            let value = Self.load(bytes, index * 8, UInt64.self)
            guard value <= UInt64(Int64.max) else {
              throw PickleError.invalidValue("uint64 value \(value) does not fit in Int64")
            }
            return Int64(value)
          default: throw PickleError.invalidValue("a \(dtype.rawValue) array has no exact integer values")
          }
        }
      })
  }

  private func storageElements<T>(_ convert: ([UInt8], NumpyDType) throws -> [T]) throws -> [T] {
    guard case .bytes(let bytes) = storage else {
      throw PickleError.invalidValue("an object array has no numeric values")
    }
    return try convert(bytes, dtype)
  }

  /// Reorders storage-order elements into C order (a transpose of the index space for Fortran arrays).
  private func cOrder<T>(_ elements: [T]) -> [T] {
    guard isFortranOrder, shape.count > 1, let first = elements.first else { return elements }
    var fortranStrides = [Int](repeating: 1, count: shape.count)
    for axis in 1..<shape.count { fortranStrides[axis] = fortranStrides[axis - 1] * shape[axis - 1] }
    var result = [T](repeating: first, count: elements.count)
    var index = [Int](repeating: 0, count: shape.count)
    var source = 0
    for position in 0..<elements.count {
      result[position] = elements[source]
      var axis = shape.count - 1
      while axis >= 0 {
        index[axis] += 1
        source += fortranStrides[axis]
        if index[axis] < shape[axis] { break }
        source -= fortranStrides[axis] * shape[axis]
        index[axis] = 0
        axis -= 1
      }
    }
    return result
  }

  private static func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: Int, _: T.Type) -> T {
    bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
  }

  private static func double(_ bytes: [UInt8], at index: Int, dtype: NumpyDType) throws -> Double {
    switch dtype {
    case .float64: return Double(bitPattern: load(bytes, index * 8, UInt64.self))
    case .float32: return Double(Float(bitPattern: load(bytes, index * 4, UInt32.self)))
    case .float16: return halfToDouble(load(bytes, index * 2, UInt16.self))
    case .bool, .uint8: return Double(bytes[index])
    case .int8: return Double(Int8(bitPattern: bytes[index]))
    case .int16: return Double(Int16(bitPattern: load(bytes, index * 2, UInt16.self)))
    case .uint16: return Double(load(bytes, index * 2, UInt16.self))
    case .int32: return Double(Int32(bitPattern: load(bytes, index * 4, UInt32.self)))
    case .uint32: return Double(load(bytes, index * 4, UInt32.self))
    case .int64: return Double(Int64(bitPattern: load(bytes, index * 8, UInt64.self)))
    case .uint64: return Double(load(bytes, index * 8, UInt64.self))
    case .object: throw PickleError.invalidValue("an object array has no numeric values")
    }
  }

  /// IEEE 754 binary16 to Double (done by hand so it works on every platform).
  static func halfToDouble(_ bits: UInt16) -> Double {
    let sign: Double = bits & 0x8000 != 0 ? -1 : 1
    let exponent = Int((bits >> 10) & 0x1f)
    let mantissa = Double(bits & 0x3ff)
    switch exponent {
    case 0: return sign * mantissa * 0x1p-24
    case 31: return mantissa == 0 ? sign * .infinity : .nan
    default: return sign * (1 + mantissa / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }
}
