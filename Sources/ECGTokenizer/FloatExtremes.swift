/// The smallest and largest value of a `Float` buffer, eight lanes at a time (a scalar min/max is one long
/// dependency chain): the symbolizer's and the data pipeline's normalisation statistics.
public enum FloatExtremes {
  /// nil for an empty buffer. A NaN after the first value is skipped, as a scalar `Swift.min`/`Swift.max` fold
  /// does.
  public static func of(_ values: UnsafeBufferPointer<Float>) -> (low: Float, high: Float)? {
    guard let base = values.baseAddress, values.count > 0 else { return nil }
    var low = base[0]
    var high = base[0]
    let lanes = values.count / 8 * 8
    if lanes > 0 {
      var lows = SIMD8<Float>(repeating: low)
      var highs = lows
      var i = 0
      while i < lanes {
        let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
        lows.replace(with: v, where: v .< lows)
        highs.replace(with: v, where: v .> highs)
        i += 8
      }
      low = lows.min()
      high = highs.max()
    }
    for i in lanes..<values.count {
      low = Swift.min(low, base[i])
      high = Swift.max(high, base[i])
    }
    return (low, high)
  }
}
