extension StoredTensor {
  /// Calls `body` with the tensor's elements as contiguous little-endian row-major bytes.
  ///
  /// A contiguous tensor is passed straight from its buffer (for a file, the mapping) with no
  /// copy; a strided view is gathered into a temporary buffer first.
  public func withContiguousBytes<Result, Failure: Error>(
    _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
  ) throws(Failure) -> Result {
    if isContiguous {
      let start = storageByteRange.lowerBound + storageOffset * dtype.byteSize
      return try buffer.withUnsafeBytes(in: start..<(start + byteCount), body)
    }
    let bytes = gatheredBytes()
    let result: Swift.Result<Result, Failure> = bytes.withUnsafeBytes { pointer in
      do throws(Failure) { return .success(try body(pointer)) } catch { return .failure(error) }
    }
    return try result.get()
  }

  /// The tensor's elements as contiguous little-endian row-major bytes (always a copy).
  public func contiguousBytes() -> [UInt8] {
    withContiguousBytes { Array($0) }
  }

  /// This tensor laid out contiguously: itself when it already is, else a copy.
  public func makeContiguous() -> StoredTensor {
    if isContiguous { return self }
    // The gathered bytes hold exactly the shape's elements, so this cannot fail.
    return try! StoredTensor(dtype: dtype, shape: shape, contiguousBytes: gatheredBytes())
  }

  /// Calls `body` with the byte offset (inside ``buffer``) of every element, in row-major order.
  func forEachElementByteOffset(_ body: (Int) -> Void) {
    let count = elementCount
    guard count > 0 else { return }
    let size = dtype.byteSize
    let base = storageByteRange.lowerBound + storageOffset * size
    if isContiguous {
      for index in 0..<count { body(base + index * size) }
      return
    }
    var index = [Int](repeating: 0, count: shape.count)
    var offset = base
    for _ in 0..<count {
      body(offset)
      // Odometer step: advance the last dimension, carrying into earlier ones.
      var dimension = shape.count - 1
      while dimension >= 0 {
        index[dimension] += 1
        offset += strides[dimension] * size
        if index[dimension] < shape[dimension] { break }
        offset -= strides[dimension] * size * shape[dimension]
        index[dimension] = 0
        dimension -= 1
      }
    }
  }

  private func gatheredBytes() -> [UInt8] {
    let size = dtype.byteSize
    var result = [UInt8](repeating: 0, count: byteCount)
    buffer.withUnsafeBytes { source in
      result.withUnsafeMutableBytes { destination in
        var written = 0
        forEachElementByteOffset { offset in
          destination.baseAddress!.advanced(by: written)
            .copyMemory(from: source.baseAddress!.advanced(by: offset), byteCount: size)
          written += size
        }
      }
    }
    return result
  }
}
