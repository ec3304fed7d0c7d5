import CTorch

extension Tensor {
  private func reduce(_ op: ct_reduce_op, _ dims: [Int], _ keepDim: Bool, _ name: String) -> Tensor {
    let d = dims.map(Int64.init)
    return wrap(ct_reduce(handle, op, d, Int64(d.count), keepDim), "\(name)(dims: \(dims)) of \(shape)")
  }

  /// Sum over `dims` (all elements when empty).
  public func sum(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_SUM, dims, keepDim, "sum") }
  public func sum(dim: Int, keepDim: Bool = false) -> Tensor { sum(dims: [dim], keepDim: keepDim) }
  public func mean(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_MEAN, dims, keepDim, "mean") }
  public func mean(dim: Int, keepDim: Bool = false) -> Tensor { mean(dims: [dim], keepDim: keepDim) }
  public func prod(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_PROD, dims, keepDim, "prod") }
  /// The largest element (over `dims` when given; values only, see `max(dim:)` for indices).
  public func max(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_AMAX, dims, keepDim, "amax") }
  public func min(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_AMIN, dims, keepDim, "amin") }
  public func logsumexp(dims: [Int] = [], keepDim: Bool = false) -> Tensor {
    reduce(CT_LOGSUMEXP, dims, keepDim, "logsumexp")
  }
  public func logsumexp(dim: Int, keepDim: Bool = false) -> Tensor { logsumexp(dims: [dim], keepDim: keepDim) }
  public func any(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_ANY, dims, keepDim, "any") }
  public func all(dims: [Int] = [], keepDim: Bool = false) -> Tensor { reduce(CT_ALL, dims, keepDim, "all") }

  /// Variance with Bessel's `correction` (1 = unbiased, PyTorch's default).
  public func variance(dims: [Int] = [], correction: Double = 1, keepDim: Bool = false) -> Tensor {
    let d = dims.map(Int64.init)
    return wrap(ct_var(handle, d, Int64(d.count), correction, keepDim), "var")
  }

  /// Standard deviation with Bessel's `correction` (1 = unbiased, PyTorch's default).
  public func std(dims: [Int] = [], correction: Double = 1, keepDim: Bool = false) -> Tensor {
    let d = dims.map(Int64.init)
    return wrap(ct_std(handle, d, Int64(d.count), correction, keepDim), "std")
  }

  /// The vector p-norm over `dims` (all elements when empty).
  public func norm(_ p: Double = 2, dims: [Int] = [], keepDim: Bool = false) -> Tensor {
    let d = dims.map(Int64.init)
    return wrap(ct_norm(handle, p, d, Int64(d.count), keepDim), "norm")
  }

  /// Largest values along `dim` and their indices.
  public func max(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
    var values: ct_tensor?
    var indices: ct_tensor?
    check(ct_max_dim(handle, Int64(dim), keepDim, &values, &indices), "max(dim: \(dim))")
    return pair(values, indices)
  }

  /// Smallest values along `dim` and their indices.
  public func min(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
    var values: ct_tensor?
    var indices: ct_tensor?
    check(ct_min_dim(handle, Int64(dim), keepDim, &values, &indices), "min(dim: \(dim))")
    return pair(values, indices)
  }

  /// Index of the largest element (of the flattened tensor when `dim` is nil).
  public func argmax(dim: Int? = nil, keepDim: Bool = false) -> Tensor {
    wrap(ct_argmax(handle, Int64(dim ?? 0), dim != nil, keepDim), "argmax")
  }

  public func argmin(dim: Int? = nil, keepDim: Bool = false) -> Tensor {
    wrap(ct_argmin(handle, Int64(dim ?? 0), dim != nil, keepDim), "argmin")
  }

  public func cumsum(dim: Int) -> Tensor { wrap(ct_cumsum(handle, Int64(dim)), "cumsum") }
  public func cumprod(dim: Int) -> Tensor { wrap(ct_cumprod(handle, Int64(dim)), "cumprod") }

  /// Sorted values along `dim` and the indices that sort it.
  public func sort(dim: Int = -1, descending: Bool = false, stable: Bool = false) -> (values: Tensor, indices: Tensor) {
    var values: ct_tensor?
    var indices: ct_tensor?
    check(ct_sort(handle, Int64(dim), descending, stable, &values, &indices), "sort")
    return pair(values, indices)
  }

  public func argsort(dim: Int = -1, descending: Bool = false, stable: Bool = false) -> Tensor {
    sort(dim: dim, descending: descending, stable: stable).indices
  }

  /// The `k` largest (or smallest) values along `dim` and their indices.
  public func topk(_ k: Int, dim: Int = -1, largest: Bool = true, sorted: Bool = true) -> (
    values: Tensor, indices: Tensor
  ) {
    var values: ct_tensor?
    var indices: ct_tensor?
    check(ct_topk(handle, Int64(k), Int64(dim), largest, sorted, &values, &indices), "topk(\(k))")
    return pair(values, indices)
  }
}

extension Tensor {
  /// Matrix product with PyTorch's broadcasting rules (`torch.matmul`).
  public func matmul(_ other: Tensor) -> Tensor {
    wrap(ct_matmul(handle, other.handle), "matmul of \(shape) and \(other.shape)")
  }

  /// Batched matrix product of [b, n, m] and [b, m, p].
  public func bmm(_ other: Tensor) -> Tensor {
    wrap(ct_bmm(handle, other.handle), "bmm of \(shape) and \(other.shape)")
  }

  /// `beta * self + alpha * (a @ b)`.
  public func addmm(_ a: Tensor, _ b: Tensor, beta: Double = 1, alpha: Double = 1) -> Tensor {
    wrap(ct_addmm(handle, a.handle, b.handle, beta, alpha), "addmm")
  }

  public func outer(_ other: Tensor) -> Tensor { wrap(ct_outer(handle, other.handle), "outer") }

  /// Einstein summation, e.g. `Tensor.einsum("bij,bjk->bik", a, b)`.
  public static func einsum(_ equation: String, _ operands: Tensor...) -> Tensor {
    withHandles(operands) { wrap(ct_einsum(equation, $0, Int64(operands.count)), "einsum(\(equation))") }
  }
}

/// Two results of a C call, or empty placeholders when it failed inside a `Torch.catching` scope.
private func pair(_ values: ct_tensor?, _ indices: ct_tensor?) -> (values: Tensor, indices: Tensor) {
  (wrap(values, "values"), wrap(indices, "indices"))
}
