import CTorch

extension Tensor {
  /// Same data in a new shape (a view when possible); one dimension may be -1.
  public func reshape(_ shape: [Int]) -> Tensor {
    let sizes = shape.map(Int64.init)
    return wrap(ct_reshape(handle, sizes, Int64(sizes.count)), "reshape(\(shape)) of \(self.shape)")
  }

  public func reshape(_ shape: Int...) -> Tensor { reshape(shape) }

  /// A view in a new shape; the strides must allow it (see `reshape` otherwise).
  public func view(_ shape: [Int]) -> Tensor {
    let sizes = shape.map(Int64.init)
    return wrap(ct_view(handle, sizes, Int64(sizes.count)), "view(\(shape)) of \(self.shape)")
  }

  public func view(_ shape: Int...) -> Tensor { view(shape) }

  public func transposed(_ dim0: Int, _ dim1: Int) -> Tensor {
    wrap(ct_transpose(handle, Int64(dim0), Int64(dim1)), "transpose(\(dim0), \(dim1)) of \(shape)")
  }

  /// The matrix transpose of a 2-D tensor (`x.T`).
  public var T: Tensor { transposed(0, 1) }

  public func permute(_ dims: [Int]) -> Tensor {
    let dims64 = dims.map(Int64.init)
    return wrap(ct_permute(handle, dims64, Int64(dims64.count)), "permute(\(dims)) of \(shape)")
  }

  public func permute(_ dims: Int...) -> Tensor { permute(dims) }

  /// Elements `start..<end` with `step` along `dim` (a view; bounds are clamped like Python slices).
  public func slice(dim: Int, start: Int? = nil, end: Int? = nil, step: Int = 1) -> Tensor {
    wrap(
      ct_slice(handle, Int64(dim), Int64(start ?? 0), Int64(end ?? Int(Int64.max)), Int64(step)),
      "slice(dim: \(dim), \(start ?? 0)..<\(end ?? -1), step: \(step)) of \(shape)")
  }

  public func narrow(dim: Int, start: Int, length: Int) -> Tensor {
    wrap(ct_narrow(handle, Int64(dim), Int64(start), Int64(length)), "narrow(\(dim), \(start), \(length)) of \(shape)")
  }

  /// The slice at `index` along `dim`, with that dimension removed.
  public func select(dim: Int, index: Int) -> Tensor {
    wrap(ct_select(handle, Int64(dim), Int64(index)), "select(\(dim), \(index)) of \(shape)")
  }

  public func indexSelect(dim: Int, index: Tensor) -> Tensor {
    wrap(ct_index_select(handle, Int64(dim), index.handle), "index_select(\(dim))")
  }

  public func gather(dim: Int, index: Tensor) -> Tensor {
    wrap(ct_gather(handle, Int64(dim), index.handle), "gather(\(dim))")
  }

  /// A copy with `source` values written at `index` along `dim`.
  public func scatter(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    wrap(ct_scatter(handle, Int64(dim), index.handle, source.handle), "scatter(\(dim))")
  }

  /// A copy with `source` values added at `index` along `dim`.
  public func scatterAdd(dim: Int, index: Tensor, source: Tensor) -> Tensor {
    wrap(ct_scatter_add(handle, Int64(dim), index.handle, source.handle), "scatter_add(\(dim))")
  }

  /// The elements where the boolean `mask` is true, as a 1-D tensor.
  public func maskedSelect(_ mask: Tensor) -> Tensor {
    wrap(ct_masked_select(handle, mask.handle), "masked_select")
  }

  /// A copy with `value` where `mask` is true.
  public func maskedFill(_ mask: Tensor, _ value: Double) -> Tensor {
    wrap(ct_masked_fill(handle, mask.handle, value), "masked_fill")
  }

  /// A copy with the 0-d tensor `value` where `mask` is true.
  public func maskedFill(_ mask: Tensor, _ value: Tensor) -> Tensor {
    wrap(ct_masked_fill_tensor(handle, mask.handle, value.handle), "masked_fill")
  }

  /// Broadcasts to `shape` without copying; -1 keeps a dimension.
  public func expand(_ shape: [Int]) -> Tensor {
    let sizes = shape.map(Int64.init)
    return wrap(ct_expand(handle, sizes, Int64(sizes.count)), "expand(\(shape)) of \(self.shape)")
  }

  public func expand(as other: Tensor) -> Tensor { expand(other.shape) }

  /// Removes size-1 dimensions (only `dim` when given).
  public func squeeze(_ dim: Int? = nil) -> Tensor {
    if let dim { return wrap(ct_squeeze_dim(handle, Int64(dim)), "squeeze(\(dim))") }
    return wrap(ct_squeeze(handle), "squeeze")
  }

  public func unsqueeze(_ dim: Int) -> Tensor {
    wrap(ct_unsqueeze(handle, Int64(dim)), "unsqueeze(\(dim)) of \(shape)")
  }

  public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
    wrap(ct_flatten(handle, Int64(startDim), Int64(endDim)), "flatten(\(startDim), \(endDim))")
  }

  /// Concatenates along an existing dimension.
  public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    withHandles(tensors) { wrap(ct_cat($0, Int64(tensors.count), Int64(dim)), "cat(dim: \(dim))") }
  }

  /// Stacks along a new dimension.
  public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    withHandles(tensors) { wrap(ct_stack($0, Int64(tensors.count), Int64(dim)), "stack(dim: \(dim))") }
  }

  /// Splits into `chunks` views of (nearly) equal size along `dim`.
  public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
    collect(capacity: chunks, "chunk(\(chunks))") { ct_chunk(handle, Int64(chunks), Int64(dim), $0, Int64(chunks)) }
  }

  /// Splits into views of `size` elements along `dim` (the last may be smaller).
  public func split(_ size: Int, dim: Int = 0) -> [Tensor] {
    precondition(size > 0, "split size must be positive")
    let parts = Swift.max(1, (self.size(dim) + size - 1) / size)
    return collect(capacity: parts, "split(\(size))") { ct_split(handle, Int64(size), Int64(dim), $0, Int64(parts)) }
  }

  /// Splits into views of the given sizes along `dim`.
  public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
    let sizes64 = sizes.map(Int64.init)
    return collect(capacity: sizes.count, "split(\(sizes))") {
      ct_split_sizes(handle, sizes64, Int64(sizes64.count), Int64(dim), $0)
    }
  }

  /// The upper triangle (elements on and above `diagonal`).
  public func triu(_ diagonal: Int = 0) -> Tensor { wrap(ct_triu(handle, Int64(diagonal)), "triu") }

  /// The lower triangle (elements on and below `diagonal`).
  public func tril(_ diagonal: Int = 0) -> Tensor { wrap(ct_tril(handle, Int64(diagonal)), "tril") }

  /// Elements of `a` where `condition` is true, of `b` elsewhere.
  public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    wrap(ct_where(condition.handle, a.handle, b.handle), "where")
  }

  public func repeated(_ repeats: [Int]) -> Tensor {
    let r = repeats.map(Int64.init)
    return wrap(ct_repeat(handle, r, Int64(r.count)), "repeat(\(repeats))")
  }

  public func roll(_ shift: Int, dim: Int) -> Tensor { wrap(ct_roll(handle, Int64(shift), Int64(dim)), "roll") }

  public func flip(_ dims: [Int]) -> Tensor {
    let d = dims.map(Int64.init)
    return wrap(ct_flip(handle, d, Int64(d.count)), "flip(\(dims))")
  }

  /// Indices of the non-zero elements, one row per element.
  public func nonzero() -> Tensor { wrap(ct_nonzero(handle), "nonzero") }

  private func collect(capacity: Int, _ name: String, _ body: (UnsafeMutablePointer<ct_tensor?>) -> Int64) -> [Tensor] {
    var out = [ct_tensor?](repeating: nil, count: capacity)
    let n = out.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    if n < 0 { torchFailure(name) }
    return out.prefix(Int(n)).map { Tensor(handle: $0!) }
  }
}

/// Calls `body` with a C array of the tensors' handles (NULL for nil entries).
func withHandles<R>(_ tensors: [Tensor?], _ body: (UnsafePointer<ct_tensor?>) -> R) -> R {
  let handles: [ct_tensor?] = tensors.map { $0?.handle }
  return withExtendedLifetime(tensors) { handles.withUnsafeBufferPointer { body($0.baseAddress!) } }
}
