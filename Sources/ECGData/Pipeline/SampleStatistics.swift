/// Whole-window passes of the loader's hot path, eight lanes at a time: a scalar min/max or sum is one long
/// dependency chain that the compiler may not reorder for floating point. The loops use SIMD arithmetic,
/// comparisons and `replace(with:where:)`, which compile to vector instructions; `pointwiseMin`/`any` calls
/// were measured 4–5× slower (not inlined).
enum SampleStatistics {
  /// The index of the first NaN or infinity, or nil when every sample is finite.
  static func firstNonFinite(_ values: UnsafeBufferPointer<Float>) -> Int? {
    guard let base = values.baseAddress else { return nil }
    let lanes = values.count / 8 * 8
    // x − x is 0 for finite x and NaN for ±∞ and NaN, and NaN survives the sum: one cheap pass, then a scalar
    // search only when something is wrong.
    var residue = SIMD8<Float>(repeating: 0)
    var i = 0
    while i < lanes {
      let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
      residue += v - v
      i += 8
    }
    var tail: Float = 0
    for j in lanes..<values.count { tail += base[j] - base[j] }
    if (residue.sum() + tail).isFinite { return nil }
    return values.firstIndex { !$0.isFinite }
  }

  /// The mean and the population standard deviation, summed in float64 in index order (two passes).
  static func meanAndDeviation(_ values: UnsafeBufferPointer<Float>) -> (mean: Double, deviation: Double) {
    guard !values.isEmpty else { return (0, 0) }
    let n = Double(values.count)
    var sum = 0.0
    for v in values { sum += Double(v) }
    let mean = sum / n
    var squares = 0.0
    for v in values {
      let d = Double(v) - mean
      squares += d * d
    }
    return (mean, (squares / n).squareRoot())
  }
}
