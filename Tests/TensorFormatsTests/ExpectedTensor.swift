import TensorFormats
import Testing

/// One tensor entry of `expected.json`: dtype, shape and row-major values.
struct ExpectedTensor: Decodable {
  let dtype: String
  let shape: [Int]
  let values: [Double]

  /// Checks `tensor` has this entry's dtype, shape and exactly its values (times `scale`).
  func check(
    _ tensor: StoredTensor?, named name: String, scale: Double = 1, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let tensor = try #require(tensor, "missing tensor \(name)", sourceLocation: sourceLocation)
    #expect(tensor.dtype.pytorchName == dtype, "\(name) dtype", sourceLocation: sourceLocation)
    #expect(tensor.shape == shape, "\(name) shape", sourceLocation: sourceLocation)
    let wanted = values.map { $0 * scale }
    switch tensor.dtype {
    case .float32, .float16, .bfloat16:
      // The JSON holds the stored values exactly, so compare after rounding to Float.
      #expect(try tensor.floatValues() == wanted.map { Float($0) }, "\(name) values", sourceLocation: sourceLocation)
    default:
      #expect(try tensor.doubleValues() == wanted, "\(name) values", sourceLocation: sourceLocation)
    }
  }
}
