/// A tensor as stored in a file: element type, shape, strides and storage offset over bytes
/// that are usually a memory-mapped file.
///
/// Strides and storage offset count elements, as in PyTorch. Bytes are little-endian. A tensor
/// from a safetensors file is always contiguous; one from a `torch.save` checkpoint may be a strided
/// view into a larger storage. ``withContiguousBytes(_:)`` gives row-major bytes either way,
/// without a copy when the tensor is already contiguous.
public struct StoredTensor: Sendable {
  /// Element type.
  public let dtype: TensorElementType
  /// Size of each dimension; empty for a scalar.
  public let shape: [Int]
  /// Step in elements between neighbours along each dimension.
  public let strides: [Int]
  /// Index of the first element inside the storage, in elements.
  public let storageOffset: Int
  /// The buffer that holds the storage.
  public let buffer: ByteBuffer
  /// Where the storage lies inside ``buffer``.
  public let storageByteRange: Range<Int>

  /// A view of `shape` with `strides` (row-major when nil) starting `storageOffset` elements into
  /// the storage at `storageByteRange` of `buffer` (all of it when nil).
  ///
  /// Throws when the view reaches outside the storage or a size is negative.
  public init(
    dtype: TensorElementType, shape: [Int], strides: [Int]? = nil, storageOffset: Int = 0,
    buffer: ByteBuffer, storageByteRange: Range<Int>? = nil
  ) throws(StoredTensorError) {
    let range = storageByteRange ?? 0..<buffer.count
    let strides = strides ?? Self.contiguousStrides(for: shape)
    guard range.lowerBound >= 0, range.upperBound <= buffer.count else {
      throw .storageOutsideBuffer(range: range, bufferSize: buffer.count)
    }
    guard strides.count == shape.count else { throw .rankMismatch(shape: shape, strides: strides) }
    guard shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }), storageOffset >= 0 else {
      throw .negativeSize(shape: shape, strides: strides, storageOffset: storageOffset)
    }
    guard let count = Self.checkedElementCount(shape) else { throw .tooLarge(shape: shape) }
    if count > 0 {
      // The last element reached is offset + sum((size - 1) * stride); it must lie inside the storage.
      var last = storageOffset
      for (size, stride) in zip(shape, strides) {
        let (step, overflow1) = (size - 1).multipliedReportingOverflow(by: stride)
        let (sum, overflow2) = last.addingReportingOverflow(step)
        guard !overflow1, !overflow2 else { throw .tooLarge(shape: shape) }
        last = sum
      }
      let storageElements = range.count / dtype.byteSize
      guard last < storageElements else {
        throw .viewOutsideStorage(
          shape: shape, strides: strides, storageOffset: storageOffset, storageElements: storageElements)
      }
    }
    self.dtype = dtype
    self.shape = shape
    self.strides = strides
    self.storageOffset = storageOffset
    self.buffer = buffer
    self.storageByteRange = range
  }

  /// A contiguous tensor holding a copy of `bytes` (little-endian, row-major).
  ///
  /// Throws when the byte count does not match the shape and element type.
  public init(dtype: TensorElementType, shape: [Int], contiguousBytes bytes: some Collection<UInt8>)
    throws(StoredTensorError)
  {
    guard let count = Self.checkedElementCount(shape), shape.allSatisfy({ $0 >= 0 }) else {
      throw .tooLarge(shape: shape)
    }
    guard count * dtype.byteSize == bytes.count else {
      throw .byteCountMismatch(dtype: dtype, shape: shape, expected: count * dtype.byteSize, actual: bytes.count)
    }
    try self.init(dtype: dtype, shape: shape, buffer: ByteBuffer(copying: bytes))
  }

  /// Number of elements (1 for a scalar).
  public var elementCount: Int { shape.reduce(1, *) }

  /// Number of bytes of the tensor's elements when laid out contiguously.
  public var byteCount: Int { elementCount * dtype.byteSize }

  /// Whether the elements lie row-major and adjacent in the storage, so no copy is needed.
  public var isContiguous: Bool {
    var expected = 1
    for (size, stride) in zip(shape, strides).reversed() where size != 1 {
      guard stride == expected else { return false }
      expected *= size
    }
    return true
  }

  /// Row-major strides in elements for `shape` (meaningless, but no trap, if its size overflows).
  public static func contiguousStrides(for shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var step = 1
    for index in shape.indices.reversed() {
      strides[index] = step
      step = step &* Swift.max(shape[index], 1)
    }
    return strides
  }

  static func checkedElementCount(_ shape: [Int]) -> Int? {
    var count = 1
    for size in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: size)
      guard !overflow else { return nil }
      count = product
    }
    return count
  }
}
