import CTorch

extension Tensor {
  /// A tensor holding a copy of `values`, laid out row-major in `shape` (default: one dimension).
  public convenience init<Element: TensorElement>(_ values: [Element], shape: [Int]? = nil) {
    let shape = shape ?? [values.count]
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == values.count,
      "Tensor(_:shape:): \(values.count) values do not fill shape \(shape)")
    let sizes = shape.map(Int64.init)
    let handle = values.withUnsafeBytes { bytes in
      ct_from_data(bytes.baseAddress, sizes, Int64(sizes.count), Element.dtype.rawValue)
    }
    guard let handle else { torchFailure("from_data") }
    self.init(handle: handle)
  }

  /// A 0-dimensional tensor holding `value`.
  public convenience init<Element: TensorElement>(scalar value: Element) {
    self.init([value], shape: [])
  }

  /// A tensor made from raw little-endian bytes of `dtype` (e.g. read from a file).
  public convenience init(bytes: UnsafeRawBufferPointer, dtype: DType, shape: [Int]) throws {
    let expected = shape.reduce(1, *) * dtype.byteSize
    guard bytes.count == expected else {
      throw TorchError(
        operation: "from_bytes",
        message: "\(bytes.count) bytes do not hold a \(dtype) tensor of shape \(shape) (\(expected) bytes)")
    }
    let sizes = shape.map(Int64.init)
    // libtorch copies the bytes, so a dangling base address for empty buffers is never read.
    let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
    guard let handle = ct_from_data(base, sizes, Int64(sizes.count), dtype.rawValue) else {
      throw TorchError.last("from_bytes")
    }
    self.init(handle: handle)
  }

  /// The elements in row-major order. `Element` must match `dtype` exactly; convert first with `to(_:)`.
  public func toArray<Element: TensorElement>(of type: Element.Type = Element.self) -> [Element] {
    precondition(
      Element.dtype == dtype,
      "toArray: the tensor holds \(dtype), not \(Element.dtype); convert it with .to(.\(Element.dtype)) first")
    let count = self.count
    return [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
      let bytes = ct_copy_to_host(handle, buffer.baseAddress, Int64(count * MemoryLayout<Element>.stride))
      if bytes < 0 { torchFailure("copy_to_host") }
      initialized = count
    }
  }

  /// The raw bytes of the elements in row-major order.
  public func contiguousBytes() -> [UInt8] {
    let size = count * dtype.byteSize
    return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
      if ct_copy_to_host(handle, buffer.baseAddress, Int64(size)) < 0 { torchFailure("copy_to_host") }
      initialized = size
    }
  }

  /// The elements converted to `Float`, whatever the dtype.
  public func floats() -> [Float] { (dtype == .float32 ? self : to(.float32)).toArray() }

  /// The elements converted to `Double`, whatever the dtype.
  public func doubles() -> [Double] { (dtype == .float64 ? self : to(.float64)).toArray() }

  /// The elements converted to `Int`, whatever the dtype.
  public func ints() -> [Int] { (dtype == .int64 ? self : to(.int64)).toArray() }

  /// The single value of a one-element tensor as a `Double`.
  public func item() -> Double {
    var value = 0.0
    check(ct_item_double(handle, &value), "item")
    return value
  }

  /// The single value of a one-element tensor as an `Int`.
  public func itemInt() -> Int {
    var value: Int64 = 0
    check(ct_item_int64(handle, &value), "item")
    return Int(value)
  }

  /// Copies `source` into this tensor in place (broadcasting; converting dtype and device).
  public func copy(from source: Tensor) {
    check(ct_copy_(handle, source.handle), "copy_")
  }
}

extension Tensor {
  /// Calls `body` with the elements of this contiguous CPU tensor in place, for writing them without a copy
  /// (e.g. a data loader filling a batch). The buffer is valid only during the call; `Element` must match
  /// `dtype`. Traps when the tensor is on another device or not contiguous (programming errors).
  public func withUnsafeMutableElements<Element: TensorElement, R>(
    of type: Element.Type = Element.self, _ body: (UnsafeMutableBufferPointer<Element>) throws -> R
  ) rethrows -> R {
    precondition(Element.dtype == dtype, "withUnsafeMutableElements: the tensor holds \(dtype), not \(Element.dtype)")
    precondition(device == .cpu && isContiguous, "withUnsafeMutableElements needs a contiguous CPU tensor")
    let count = self.count
    guard count > 0 else { return try body(UnsafeMutableBufferPointer(start: nil, count: 0)) }
    guard let pointer = ct_data_ptr(handle) else { torchFailure("data_ptr") }
    return try withExtendedLifetime(self) {
      try body(UnsafeMutableBufferPointer(start: pointer.assumingMemoryBound(to: Element.self), count: count))
    }
  }
}
