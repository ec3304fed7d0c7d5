import CTorch

/// One component of a subscript, as in PyTorch's `x[0, 1:3, ..., None, mask]`.
public enum TensorIndex: Sendable {
  /// An integer index: selects and removes the dimension (negative counts from the end).
  case at(Int)
  /// `start:end:step` (nil bounds are open); keeps the dimension.
  case slice(start: Int?, end: Int?, step: Int)
  /// `:`, the whole dimension.
  case all
  /// `None`: inserts a dimension of size 1.
  case newAxis
  /// `...`: as many `:` as needed.
  case ellipsis
  /// An integer or boolean tensor (advanced indexing).
  case tensor(Tensor)

  /// `start:end:step`.
  public static func stride(_ start: Int? = nil, _ end: Int? = nil, by step: Int) -> TensorIndex {
    .slice(start: start, end: end, step: step)
  }
}

/// Types usable directly inside a tensor subscript: `Int`, Swift ranges, `Tensor` and `TensorIndex`.
public protocol TensorIndexConvertible {
  var tensorIndex: TensorIndex { get }
}

extension TensorIndex: TensorIndexConvertible { public var tensorIndex: TensorIndex { self } }
extension Int: TensorIndexConvertible { public var tensorIndex: TensorIndex { .at(self) } }
extension Tensor: TensorIndexConvertible { public var tensorIndex: TensorIndex { .tensor(self) } }
extension Range: TensorIndexConvertible where Bound == Int {
  public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound, step: 1) }
}
extension ClosedRange: TensorIndexConvertible where Bound == Int {
  public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: upperBound + 1, step: 1) }
}
extension PartialRangeFrom: TensorIndexConvertible where Bound == Int {
  public var tensorIndex: TensorIndex { .slice(start: lowerBound, end: nil, step: 1) }
}
extension PartialRangeUpTo: TensorIndexConvertible where Bound == Int {
  public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound, step: 1) }
}
extension PartialRangeThrough: TensorIndexConvertible where Bound == Int {
  public var tensorIndex: TensorIndex { .slice(start: nil, end: upperBound + 1, step: 1) }
}

extension Tensor {
  /// Basic and advanced indexing with PyTorch semantics. Reading returns a view unless a tensor index is
  /// involved; writing copies (broadcasting) into the selected elements in place.
  public subscript(_ indices: any TensorIndexConvertible...) -> Tensor {
    get { index(indices.map(\.tensorIndex)) }
    set { assign(indices.map(\.tensorIndex), newValue) }
  }

  /// Writes a scalar into the selected elements: `x[mask] = 0` in PyTorch is `x.fill(at: mask, 0)`.
  public func fill(at indices: any TensorIndexConvertible..., with value: Double) {
    assign(indices.map(\.tensorIndex), Tensor.full([], value, dtype: dtype, device: device))
  }

  /// Applies the basic indices (ints, slices, new axes, ellipsis), and records where the tensor indices go.
  private func basicIndex(_ indices: [TensorIndex]) -> (view: Tensor, advanced: [Tensor?]) {
    let consuming = indices.filter {
      switch $0 {
      case .newAxis, .ellipsis: false
      default: true
      }
    }.count
    precondition(consuming <= rank, "too many indices (\(consuming)) for a tensor of rank \(rank)")
    var result = self
    var dim = 0
    var advanced: [Tensor?] = []
    for index in indices {
      switch index {
      case .at(let i):
        result = result.select(dim: dim, index: i)
      case .slice(let start, let end, let step):
        result = result.slice(dim: dim, start: start, end: end, step: step)
        advanced.append(nil)
        dim += 1
      case .all:
        advanced.append(nil)
        dim += 1
      case .newAxis:
        result = result.unsqueeze(dim)
        advanced.append(nil)
        dim += 1
      case .ellipsis:
        let skipped = rank - consuming
        advanced.append(contentsOf: [Tensor?](repeating: nil, count: skipped))
        dim += skipped
      case .tensor(let t):
        advanced.append(t)
        // A boolean mask consumes as many dimensions as it has.
        dim += t.dtype == .bool ? t.rank : 1
      }
    }
    if advanced.allSatisfy({ $0 == nil }) { advanced = [] }
    return (result, advanced)
  }

  private func index(_ indices: [TensorIndex]) -> Tensor {
    let (view, advanced) = basicIndex(indices)
    if advanced.isEmpty { return view }
    return withHandles(advanced) { wrap(ct_index(view.handle, $0, Int64(advanced.count)), "index") }
  }

  private func assign(_ indices: [TensorIndex], _ value: Tensor) {
    let (view, advanced) = basicIndex(indices)
    if advanced.isEmpty {
      view.copy(from: value)
      return
    }
    let status = withHandles(advanced) { ct_index_put_(view.handle, $0, Int64(advanced.count), value.handle, false) }
    check(status, "index_put_")
  }
}
