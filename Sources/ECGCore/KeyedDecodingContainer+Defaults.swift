extension KeyedDecodingContainer {
  /// The value under `key`, or `fallback` when the key is absent (reference defaults for partial configs, fields
  /// older files lack).
  public func decodeValue<T: Decodable>(_ key: Key, orDefault fallback: T) throws -> T {
    try decodeIfPresent(T.self, forKey: key) ?? fallback
  }
}
