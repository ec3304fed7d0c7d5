import CTorch

/// An n-dimensional array backed by a libtorch tensor.
///
/// `Tensor` has reference semantics like a PyTorch tensor: views share storage with their base, and
/// in-place operations are visible through every reference. It owns one libtorch handle, freed when the
/// last Swift reference goes away.
///
/// Sendable because libtorch's reference counting is atomic and the handle never changes; as in PyTorch,
/// concurrent in-place writes to the same storage are the caller's responsibility.
public final class Tensor: @unchecked Sendable {
  let handle: ct_tensor

  init(handle: ct_tensor) {
    self.handle = handle
  }

  deinit {
    ct_free(handle)
  }

  /// Number of dimensions.
  public var rank: Int { Int(ct_dim(handle)) }

  /// Size of each dimension.
  public var shape: [Int] {
    let rank = self.rank
    if rank == 0 { return [] }
    var sizes = [Int64](repeating: 0, count: rank)
    if ct_sizes(handle, &sizes) < 0 { torchFailure("sizes") }
    return sizes.map(Int.init)
  }

  /// Element step of each dimension.
  public var strides: [Int] {
    let rank = self.rank
    if rank == 0 { return [] }
    var strides = [Int64](repeating: 0, count: rank)
    if ct_strides(handle, &strides) < 0 { torchFailure("strides") }
    return strides.map(Int.init)
  }

  /// Offset of the first element in the underlying storage, in elements.
  public var storageOffset: Int { Int(ct_storage_offset(handle)) }

  /// Size of one dimension; negative indices count from the end.
  public func size(_ dim: Int) -> Int {
    let shape = self.shape
    return shape[dim < 0 ? dim + shape.count : dim]
  }

  /// Total number of elements.
  public var count: Int { Int(ct_numel(handle)) }

  public var dtype: DType {
    let code = ct_dtype(handle)
    guard let dtype = DType(rawValue: code) else {
      fatalError("tensor has libtorch scalar type \(code), which this package does not model")
    }
    return dtype
  }

  public var device: Device { Device(typeCode: ct_device_type(handle), index: ct_device_index(handle)) }

  public var isContiguous: Bool { ct_is_contiguous(handle) }

  /// Whether both tensors view the same storage.
  public func sharesStorage(with other: Tensor) -> Bool { ct_same_storage(handle, other.handle) }
}

extension Tensor: CustomStringConvertible {
  /// The tensor formatted as libtorch prints it.
  public var description: String {
    guard let text = ct_to_string(handle) else { return "Tensor(\(shape), \(dtype))" }
    defer { ct_free_string(text) }
    return String(cString: text)
  }
}
