import Torch

/// One batch key being collated: items append rows of one shape, written straight into a CPU tensor
/// [capacity, row shape…] (what `default_collate` stacks), so a batch costs one tensor per key and no per-item
/// tensors or copies.
struct RowBuffer<Element: TensorElement> {
  /// The reference's key, for messages.
  let key: String
  let capacity: Int
  private(set) var rowShape: [Int]?
  private(set) var rows = 0
  private var storage: Tensor?

  init(_ key: String, capacity: Int) {
    self.key = key
    self.capacity = capacity
  }

  private var rowCount: Int { rowShape?.reduce(1, *) ?? 0 }

  /// Appends one row of `shape`, written by `write` into its (uninitialised) place; throws when the shape is
  /// not the one of the batch's first row.
  mutating func append(
    shape: [Int], id: String, _ write: (UnsafeMutableBufferPointer<Element>) throws -> Void
  ) throws {
    if let rowShape, rowShape != shape {
      throw SampleError(id: id, reason: "'\(key)' is of shape \(shape), the batch's first item has \(rowShape)")
    }
    precondition(rows < capacity, "'\(key)': more rows than the batch holds (\(capacity))")
    let tensor: Tensor
    if let storage {
      tensor = storage
    } else {
      rowShape = shape
      tensor = Tensor.empty([capacity] + shape, dtype: Element.dtype)
      storage = tensor
    }
    let size = rowCount
    let row = rows
    try tensor.withUnsafeMutableElements(of: Element.self) { all in
      try write(UnsafeMutableBufferPointer(rebasing: all[(row * size)..<((row + 1) * size)]))
    }
    rows += 1
  }

  /// Appends a copy of `values` as a row of `shape`.
  mutating func append(_ values: UnsafeBufferPointer<Element>, shape: [Int], id: String) throws {
    let key = self.key
    try append(shape: shape, id: id) { row in
      precondition(values.count == row.count, "'\(key)': \(values.count) values for shape \(shape)")
      _ = row.initialize(fromContentsOf: values)
    }
  }

  /// Appends a copy of `values` as a row of `shape`.
  mutating func append(_ values: [Element], shape: [Int], id: String) throws {
    try values.withUnsafeBufferPointer { try append($0, shape: shape, id: id) }
  }

  /// Forgets rows past `count` (an item that failed after writing some of its keys).
  mutating func truncate(to count: Int) {
    rows = Swift.min(rows, count)
  }

  /// The stacked rows [rows, row shape…]; nil when nothing was appended.
  func stacked() -> Tensor? {
    guard let storage, rows > 0 else { return nil }
    return rows == capacity ? storage : storage.narrow(dim: 0, start: 0, length: rows)
  }
}
