/// An HDF5 file opened read-only (or created for writing), with the dataset operations CODE-15 needs.
public final class HDF5File {
  private let library: HDF5Library
  private let id: HDF5Library.ID
  /// The file's path.
  public let path: String

  /// Opens `path` read-only.
  public init(path: String) throws {
    library = try HDF5Library.load()
    library.silenceErrorPrinting()
    self.path = path
    id = library.fileOpen(path, 0, 0)
    guard id >= 0 else { throw DataSourceError("cannot open HDF5 file \(path): missing, unreadable or not HDF5") }
  }

  /// Creates (or truncates) `path` for writing.
  public init(creating path: String) throws {
    library = try HDF5Library.load()
    library.silenceErrorPrinting()
    self.path = path
    id = library.fileCreate(path, 2, 0, 0)
    guard id >= 0 else { throw DataSourceError("cannot create HDF5 file \(path)") }
  }

  // A failed open throws after `id` is set, so deinit runs with an invalid id then.
  deinit { if id >= 0 { _ = library.fileClose(id) } }

  private func withDataset<R>(_ name: String, _ body: (HDF5Library.ID, [UInt64]) throws -> R) throws -> R {
    let dataset = library.datasetOpen(id, name, 0)
    guard dataset >= 0 else { throw DataSourceError("\(path): no dataset '\(name)'") }
    defer { _ = library.datasetClose(dataset) }
    let space = library.getSpace(dataset)
    defer { _ = library.spaceClose(space) }
    let rank = Int(library.ndims(space))
    var shape = [UInt64](repeating: 0, count: max(rank, 1))
    _ = library.dims(space, &shape, nil)
    return try body(dataset, Array(shape.prefix(rank)))
  }

  /// The shape of dataset `name`.
  public func shape(of name: String) throws -> [Int] {
    try withDataset(name) { _, shape in shape.map { Int($0) } }
  }

  /// All values of a 1-D integer dataset (converted to Int64 by the library).
  public func readInt64(_ name: String) throws -> [Int64] {
    try withDataset(name) { dataset, shape in
      guard shape.count == 1 else {
        throw DataSourceError("\(path): dataset '\(name)' has shape \(shape), expected 1-D")
      }
      var values = [Int64](repeating: 0, count: Int(shape[0]))
      let status = values.withUnsafeMutableBytes {
        library.read(dataset, library.nativeInt64, 0, 0, 0, $0.baseAddress!)
      }
      guard status >= 0 else { throw DataSourceError("\(path): cannot read dataset '\(name)'") }
      return values
    }
  }

  /// Row `row` of a dataset of shape [N, ...] as float32 (converted by the library), with the row's shape.
  public func readFloatRow(_ name: String, row: Int) throws -> (values: [Float], shape: [Int]) {
    try withDataset(name) { dataset, shape in
      guard shape.count >= 2, row >= 0, UInt64(row) < shape[0] else {
        throw DataSourceError("\(path): row \(row) is outside dataset '\(name)' of shape \(shape)")
      }
      let rowShape = Array(shape.dropFirst())
      let count = rowShape.reduce(1, *)
      let fileSpace = library.getSpace(dataset)
      defer { _ = library.spaceClose(fileSpace) }
      let start = [UInt64(row)] + rowShape.map { _ in 0 }
      let counts = [1] + rowShape
      _ = library.hyperslab(fileSpace, 0, start, nil, counts, nil)
      let memory = library.createSimple(Int32(counts.count), counts, nil)
      defer { _ = library.spaceClose(memory) }
      var values = [Float](repeating: 0, count: Int(count))
      let status = values.withUnsafeMutableBytes {
        library.read(dataset, library.nativeFloat, memory, fileSpace, 0, $0.baseAddress!)
      }
      guard status >= 0 else { throw DataSourceError("\(path): cannot read row \(row) of '\(name)'") }
      return (values, rowShape.map { Int($0) })
    }
  }

  /// Writes a float32 dataset of `shape` (for tests and exports).
  public func writeFloat(_ name: String, shape: [Int], values: [Float]) throws {
    try create(
      name, shape: shape, fileType: library.float32LE, memoryType: library.nativeFloat,
      bytes: values.withUnsafeBytes { Array($0) })
  }

  /// Writes an int64 dataset of `shape`.
  public func writeInt64(_ name: String, shape: [Int], values: [Int64]) throws {
    try create(
      name, shape: shape, fileType: library.int64LE, memoryType: library.nativeInt64,
      bytes: values.withUnsafeBytes { Array($0) })
  }

  private func create(
    _ name: String, shape: [Int], fileType: HDF5Library.ID, memoryType: HDF5Library.ID, bytes: [UInt8]
  ) throws {
    let dims = shape.map { UInt64($0) }
    let space = library.createSimple(Int32(dims.count), dims, nil)
    defer { _ = library.spaceClose(space) }
    let dataset = library.datasetCreate(id, name, fileType, space, 0, 0, 0)
    guard dataset >= 0 else { throw DataSourceError("\(path): cannot create dataset '\(name)'") }
    defer { _ = library.datasetClose(dataset) }
    let status = bytes.withUnsafeBytes { library.write(dataset, memoryType, 0, 0, 0, $0.baseAddress!) }
    guard status >= 0 else { throw DataSourceError("\(path): cannot write dataset '\(name)'") }
  }
}
