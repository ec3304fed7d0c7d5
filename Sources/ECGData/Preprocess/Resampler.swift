/// Resampling with the reference's numerics: a not-a-knot cubic spline (SciPy
/// `interp1d(kind="cubic")`) through the samples at `linspace(0, D, N)`, evaluated at
/// `linspace(0, D, M)` with D = N / fs and M = ⌊N · target / fs⌋.
public enum Resampler {
  /// Output length for `count` input samples.
  public static func outputLength(count: Int, from rate: Double, to target: Double) -> Int {
    Int((Double(count) * target / rate).rounded(.towardZero))
  }

  /// `count` evenly spaced points from 0 to `end`, both included, computed as NumPy's `linspace`.
  static func linspace(_ end: Double, _ count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [0] : [] }
    let step = end / Double(count - 1)
    var grid = (0..<count).map { Double($0) * step }
    grid[count - 1] = end
    return grid
  }

  /// Resamples one lead sampled at `rate` to `target` Hz.
  public static func resample(_ values: [Double], from rate: Double, to target: Double) -> [Double] {
    let n = values.count
    let m = outputLength(count: n, from: rate, to: target)
    guard n > 0, m > 0 else { return [] }
    let duration = Double(n) / rate
    let x = linspace(duration, n)
    let u = linspace(duration, m)
    return CubicSpline(x: x, y: values).evaluate(at: u)
  }
}

/// A not-a-knot cubic spline in Hermite form (node values and slopes), as SciPy's `CubicSpline`.
struct CubicSpline {
  let x: [Double]
  let y: [Double]
  let slopes: [Double]

  init(x: [Double], y: [Double]) {
    self.x = x
    self.y = y
    slopes = Self.notAKnotSlopes(x: x, y: y)
  }

  private static func notAKnotSlopes(x: [Double], y: [Double]) -> [Double] {
    let n = x.count
    if n == 1 { return [0] }
    if n == 2 {
      let m = (y[1] - y[0]) / (x[1] - x[0])
      return [m, m]
    }
    if n == 3 {
      // Not-a-knot with three points is the parabola through them.
      let m0 = (y[1] - y[0]) / (x[1] - x[0])
      let m1 = (y[2] - y[1]) / (x[2] - x[1])
      let a = (m1 - m0) / (x[2] - x[0])
      return [m0 - a * (x[1] - x[0]), m0 + a * (x[1] - x[0]), m1 + a * (x[2] - x[1])]
    }
    // Tridiagonal system (sub a, diagonal b, super c, right-hand side r) for the slopes, as SciPy's
    // CubicSpline builds it, solved with the Thomas algorithm. Unsafe buffers keep the loops free of
    // bounds checks: this solve is most of the preprocessing time.
    var storage = [Double](repeating: 0, count: 6 * n)
    var s = [Double](repeating: 0, count: n)
    storage.withUnsafeMutableBufferPointer { buffer in
      let dx = buffer.baseAddress!
      let slope = dx + n
      let a = slope + n
      let b = a + n
      let c = b + n
      let r = c + n
      x.withUnsafeBufferPointer { x in
        y.withUnsafeBufferPointer { y in
          for i in 0..<(n - 1) {
            dx[i] = x[i + 1] - x[i]
            slope[i] = (y[i + 1] - y[i]) / dx[i]
          }
        }
        for i in 1..<(n - 1) {
          a[i] = dx[i]
          b[i] = 2 * (dx[i - 1] + dx[i])
          c[i] = dx[i - 1]
          r[i] = 3 * (dx[i] * slope[i - 1] + dx[i - 1] * slope[i])
        }
        let d0 = x[2] - x[0]
        b[0] = dx[1]
        c[0] = d0
        r[0] = ((dx[0] + 2 * d0) * dx[1] * slope[0] + dx[0] * dx[0] * slope[1]) / d0
        let dn = x[n - 1] - x[n - 3]
        b[n - 1] = dx[n - 3]
        a[n - 1] = dn
        r[n - 1] = (dx[n - 2] * dx[n - 2] * slope[n - 3] + (2 * dn + dx[n - 2]) * dx[n - 3] * slope[n - 2]) / dn
      }
      for i in 1..<n {
        let w = a[i] / b[i - 1]
        b[i] -= w * c[i - 1]
        r[i] -= w * r[i - 1]
      }
      s.withUnsafeMutableBufferPointer { s in
        s[n - 1] = r[n - 1] / b[n - 1]
        for i in stride(from: n - 2, through: 0, by: -1) {
          s[i] = (r[i] - c[i] * s[i + 1]) / b[i]
        }
      }
    }
    return s
  }

  /// Values at `points` (ascending); points outside the knots extrapolate the end pieces.
  func evaluate(at points: [Double]) -> [Double] {
    let n = x.count
    guard n > 1 else { return points.map { _ in y.first ?? .nan } }
    return [Double](unsafeUninitializedCapacity: points.count) { out, initialized in
      x.withUnsafeBufferPointer { x in
        y.withUnsafeBufferPointer { y in
          slopes.withUnsafeBufferPointer { slopes in
            var i = 0
            for (j, u) in points.enumerated() {
              while i < n - 2 && u >= x[i + 1] { i += 1 }
              let h = x[i + 1] - x[i]
              let t = u - x[i]
              let m = (y[i + 1] - y[i]) / h
              let c2 = (3 * m - 2 * slopes[i] - slopes[i + 1]) / h
              let c3 = (slopes[i] + slopes[i + 1] - 2 * m) / (h * h)
              out[j] = y[i] + t * (slopes[i] + t * (c2 + t * c3))
            }
          }
        }
      }
      initialized = points.count
    }
  }
}
