import CTorch
import TensorFormats

extension DType {
  /// The file-format element type with the same layout.
  public var elementType: TensorElementType {
    TensorElementType(pytorchName: description)!
  }

  public init(_ elementType: TensorElementType) {
    guard let dtype = DType.allCases.first(where: { $0.description == elementType.pytorchName }) else {
      preconditionFailure("no tensor dtype for \(elementType)")
    }
    self = dtype
  }
}

extension Tensor {
  /// A tensor with the values of a stored tensor (from a safetensors file or a PyTorch checkpoint); strided
  /// views are gathered, and the bytes are copied once into libtorch.
  public convenience init(_ stored: StoredTensor) throws {
    let dtype = DType(stored.dtype)
    let handle: ct_tensor? = stored.withContiguousBytes { bytes in
      let sizes = stored.shape.map(Int64.init)
      let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
      return ct_from_data(base, sizes, Int64(sizes.count), dtype.rawValue)
    }
    guard let handle else { throw TorchError.last("tensor from stored bytes") }
    self.init(handle: handle)
  }

  /// The tensor as a stored tensor for writing: a CPU contiguous copy whose bytes are shared, not copied again.
  public func stored() -> StoredTensor {
    let host = withNoGrad { to(device: .cpu).contiguous().detach() }
    let byteCount = host.count * dtype.byteSize
    let buffer: ByteBuffer
    if byteCount > 0, let pointer = ct_data_ptr(host.handle) {
      buffer = ByteBuffer(borrowing: UnsafeRawPointer(pointer), count: byteCount, owner: host)
    } else {
      buffer = ByteBuffer(copying: host.contiguousBytes())
    }
    // The shape and byte count agree by construction.
    return try! StoredTensor(dtype: dtype.elementType, shape: shape, buffer: buffer)
  }
}
