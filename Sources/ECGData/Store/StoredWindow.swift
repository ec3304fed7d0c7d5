/// A window ready to be stored.
public struct StoredWindow: Sendable {
  /// Lead-major float32 values (`12 * segmentLength`).
  public var values: [Float]
  /// Its index entry.
  public var metadata: WindowMetadata
  /// Inputs of its split.
  public var splitKey: SplitKey

  /// Creates a stored window.
  public init(values: [Float], metadata: WindowMetadata, splitKey: SplitKey) {
    self.values = values
    self.metadata = metadata
    self.splitKey = splitKey
  }
}
