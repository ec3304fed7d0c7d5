extension StoredTensor {
  /// The elements as `Float`, row-major. Half and bfloat16 decode exactly; float64 rounds.
  ///
  /// Throws for integer and bool tensors.
  public func floatValues() throws(StoredTensorError) -> [Float] {
    switch dtype {
    case .float32:
      return decode { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt32.self))) }
    case .float64: return try doubleValues().map { Float($0) }
    case .float16:
      return decode {
        HalfPrecision.float(fromHalf: $0.loadUnaligned(fromByteOffset: $1, as: UInt16.self).littleEndian)
      }
    case .bfloat16:
      return decode {
        HalfPrecision.float(fromBFloat16: $0.loadUnaligned(fromByteOffset: $1, as: UInt16.self).littleEndian)
      }
    default: throw .wrongElementType(requested: "Float", actual: dtype)
    }
  }

  /// The elements as `Double`, row-major, converted from any element type (bool as 0 or 1).
  public func doubleValues() throws(StoredTensorError) -> [Double] {
    switch dtype {
    case .float64:
      return decode { Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: UInt64.self))) }
    case .float32, .float16, .bfloat16: return try floatValues().map { Double($0) }
    case .int64, .int32, .uint8, .bool: return try int64Values().map { Double($0) }
    }
  }

  /// The elements as `Int64`, row-major, from any integer or bool tensor.
  ///
  /// Throws for floating-point tensors.
  public func int64Values() throws(StoredTensorError) -> [Int64] {
    switch dtype {
    case .int64: return decode { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int64.self)) }
    case .int32: return decode { Int64(Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int32.self))) }
    case .uint8: return decode { Int64($0.load(fromByteOffset: $1, as: UInt8.self)) }
    case .bool: return decode { $0.load(fromByteOffset: $1, as: UInt8.self) != 0 ? 1 : 0 }
    default: throw .wrongElementType(requested: "Int64", actual: dtype)
    }
  }

  /// The elements of an int32 tensor, row-major.
  public func int32Values() throws(StoredTensorError) -> [Int32] {
    guard dtype == .int32 else { throw .wrongElementType(requested: "Int32", actual: dtype) }
    return decode { Int32(littleEndian: $0.loadUnaligned(fromByteOffset: $1, as: Int32.self)) }
  }

  /// The elements of a uint8 or bool tensor, row-major.
  public func uint8Values() throws(StoredTensorError) -> [UInt8] {
    guard dtype == .uint8 || dtype == .bool else { throw .wrongElementType(requested: "UInt8", actual: dtype) }
    return decode { $0.load(fromByteOffset: $1, as: UInt8.self) }
  }

  /// The elements of a bool or uint8 tensor as `Bool` (nonzero is true), row-major.
  public func boolValues() throws(StoredTensorError) -> [Bool] {
    guard dtype == .uint8 || dtype == .bool else { throw .wrongElementType(requested: "Bool", actual: dtype) }
    return decode { $0.load(fromByteOffset: $1, as: UInt8.self) != 0 }
  }

  private func decode<Element>(_ read: (UnsafeRawBufferPointer, Int) -> Element) -> [Element] {
    var values: [Element] = []
    values.reserveCapacity(elementCount)
    buffer.withUnsafeBytes { bytes in
      forEachElementByteOffset { values.append(read(bytes, $0)) }
    }
    return values
  }
}

extension StoredTensor {
  /// A contiguous float32 tensor holding `values`.
  public init(float32 values: [Float], shape: [Int]) throws(StoredTensorError) {
    try self.init(dtype: .float32, shape: shape, contiguousBytes: Self.littleEndianBytes(values.map { $0.bitPattern }))
  }

  /// A contiguous float64 tensor holding `values`.
  public init(float64 values: [Double], shape: [Int]) throws(StoredTensorError) {
    try self.init(dtype: .float64, shape: shape, contiguousBytes: Self.littleEndianBytes(values.map { $0.bitPattern }))
  }

  /// A contiguous float16 tensor holding `values`, rounded to nearest even.
  public init(float16 values: [Float], shape: [Int]) throws(StoredTensorError) {
    try self.init(
      dtype: .float16, shape: shape, contiguousBytes: Self.littleEndianBytes(values.map(HalfPrecision.half(from:))))
  }

  /// A contiguous bfloat16 tensor holding `values`, rounded to nearest even.
  public init(bfloat16 values: [Float], shape: [Int]) throws(StoredTensorError) {
    try self.init(
      dtype: .bfloat16, shape: shape, contiguousBytes: Self.littleEndianBytes(values.map(HalfPrecision.bfloat16(from:)))
    )
  }

  /// A contiguous int64 tensor holding `values`.
  public init(int64 values: [Int64], shape: [Int]) throws(StoredTensorError) {
    try self.init(dtype: .int64, shape: shape, contiguousBytes: Self.littleEndianBytes(values))
  }

  /// A contiguous int32 tensor holding `values`.
  public init(int32 values: [Int32], shape: [Int]) throws(StoredTensorError) {
    try self.init(dtype: .int32, shape: shape, contiguousBytes: Self.littleEndianBytes(values))
  }

  /// A contiguous uint8 tensor holding `values`.
  public init(uint8 values: [UInt8], shape: [Int]) throws(StoredTensorError) {
    try self.init(dtype: .uint8, shape: shape, contiguousBytes: values)
  }

  /// A contiguous bool tensor holding `values`.
  public init(bool values: [Bool], shape: [Int]) throws(StoredTensorError) {
    try self.init(dtype: .bool, shape: shape, contiguousBytes: values.map { $0 ? 1 : 0 })
  }

  private static func littleEndianBytes<Integer: FixedWidthInteger>(_ values: [Integer]) -> [UInt8] {
    values.map(\.littleEndian).withUnsafeBytes { Array($0) }
  }
}
