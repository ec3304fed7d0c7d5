/// Resampling with the reference's numerics: a not-a-knot cubic spline (SciPy
/// `interp1d(kind="cubic")`) through the samples at `linspace(0, D, N)`, evaluated at
/// `linspace(0, D, M)` with D = N / fs and M = ⌊N · target / fs⌋.
public enum Resampler {
  /// Output length for `count` input samples.
  ///
  /// Never traps: a length that is not finite or exceeds `Int.max` (absurd rates) saturates at `Int.max`,
  /// and a negative one is 0, so callers compare it against their own limits.
  public static func outputLength(count: Int, from rate: Double, to target: Double) -> Int {
    let length = (Double(count) * target / rate).rounded(.towardZero)
    guard length.isFinite, length < Double(Int.max) else { return length.isNaN ? 0 : (length < 0 ? 0 : Int.max) }
    return max(0, Int(length))
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
    resample(leads: [values], from: rate, to: target)[0]
  }

  /// Resamples leads of equal length; the spline system's factorisation and the evaluation grid are
  /// computed once and shared by all leads.
  public static func resample(leads: [[Double]], from rate: Double, to target: Double) -> [[Double]] {
    let n = leads.first?.count ?? 0
    let m = outputLength(count: n, from: rate, to: target)
    guard n > 0, m > 0 else { return leads.map { _ in [] } }
    precondition(leads.allSatisfy { $0.count == n }, "leads of different lengths")
    let duration = Double(n) / rate
    let grid = SplineGrid(x: linspace(duration, n))
    let plan = grid.plan(linspace(duration, m))
    let slopes = CubicSpline.notAKnotSlopes(grid, leads: leads)
    return zip(leads, slopes).map { CubicSpline(grid: grid, y: $0, slopes: $1).evaluate(plan) }
  }
}

/// The knots of a not-a-knot cubic spline and the LU factorisation of its slope system, which depends
/// on the knots only (SciPy's `CubicSpline` system, solved by the Thomas algorithm).
struct SplineGrid {
  let x: [Double]
  let dx: [Double]
  /// Elimination multipliers (row i minus `w[i]` times row i-1).
  let w: [Double]
  /// Reciprocal of the diagonal after elimination (back substitution multiplies: a division there
  /// sits on the loop's dependency chain).
  let inverseDiagonal: [Double]
  /// Super-diagonal.
  let upper: [Double]

  init(x: [Double]) {
    self.x = x
    let n = x.count
    dx = n > 1 ? (0..<(n - 1)).map { x[$0 + 1] - x[$0] } : []
    var w = [Double](repeating: 0, count: n)
    var b = [Double](repeating: 0, count: n)
    var c = [Double](repeating: 0, count: n)
    if n >= 4 {
      var a = [Double](repeating: 0, count: n)
      for i in 1..<(n - 1) {
        a[i] = dx[i]
        b[i] = 2 * (dx[i - 1] + dx[i])
        c[i] = dx[i - 1]
      }
      b[0] = dx[1]
      c[0] = x[2] - x[0]
      b[n - 1] = dx[n - 3]
      a[n - 1] = x[n - 1] - x[n - 3]
      for i in 1..<n {
        w[i] = a[i] / b[i - 1]
        b[i] -= w[i] * c[i - 1]
      }
    }
    self.w = w
    inverseDiagonal = b.map { 1 / $0 }
    upper = c
  }

  /// Interval index and offset of each evaluation point (ascending; outside points use the end pieces).
  struct Plan {
    let interval: [Int]
    let offset: [Double]
  }

  func plan(_ points: [Double]) -> Plan {
    let n = x.count
    var interval = [Int](repeating: 0, count: points.count)
    var offset = [Double](repeating: 0, count: points.count)
    var i = 0
    for (j, u) in points.enumerated() {
      while i < n - 2 && u >= x[i + 1] { i += 1 }
      interval[j] = i
      offset[j] = u - x[i]
    }
    return Plan(interval: interval, offset: offset)
  }
}

/// A not-a-knot cubic spline in Hermite form (node values and slopes), as SciPy's `CubicSpline`.
struct CubicSpline {
  let grid: SplineGrid
  let y: [Double]
  let slopes: [Double]

  init(x: [Double], y: [Double]) { self.init(grid: SplineGrid(x: x), y: y) }

  init(grid: SplineGrid, y: [Double]) {
    self.init(grid: grid, y: y, slopes: Self.notAKnotSlopes(grid, leads: [y])[0])
  }

  init(grid: SplineGrid, y: [Double], slopes: [Double]) {
    self.grid = grid
    self.y = y
    self.slopes = slopes
  }

  /// The slopes of every lead's spline over one grid. The leads are solved together, interleaved
  /// sample by sample, so the serial elimination and back substitution advance all leads per step
  /// (vectorised across leads) instead of one dependency chain per lead.
  static func notAKnotSlopes(_ grid: SplineGrid, leads: [[Double]]) -> [[Double]] {
    let n = grid.x.count
    let width = leads.count
    guard n >= 4, width > 1 else { return leads.map { notAKnotSlopes(grid, $0) } }
    var r = [Double](repeating: 0, count: n * width)
    r.withUnsafeMutableBufferPointer { r in
      for (l, lead) in leads.enumerated() {
        let single = rightHandSide(grid, lead)
        for i in 0..<n { r[i * width + l] = single[i] }
      }
      grid.w.withUnsafeBufferPointer { w in
        grid.inverseDiagonal.withUnsafeBufferPointer { inverse in
          grid.upper.withUnsafeBufferPointer { c in
            let base = r.baseAddress!
            for i in 1..<n {
              let row = base + i * width
              let previous = row - width
              let factor = w[i]
              for l in 0..<width { row[l] -= factor * previous[l] }
            }
            let last = base + (n - 1) * width
            for l in 0..<width { last[l] *= inverse[n - 1] }
            for i in stride(from: n - 2, through: 0, by: -1) {
              let row = base + i * width
              let next = row + width
              let (ci, inv) = (c[i], inverse[i])
              for l in 0..<width { row[l] = (row[l] - ci * next[l]) * inv }
            }
          }
        }
      }
    }
    return (0..<width).map { l in
      [Double](unsafeUninitializedCapacity: n) { out, initialized in
        r.withUnsafeBufferPointer { r in for i in 0..<n { out[i] = r[i * width + l] } }
        initialized = n
      }
    }
  }

  /// The system's right-hand side for one lead (n ≥ 4).
  private static func rightHandSide(_ grid: SplineGrid, _ y: [Double]) -> [Double] {
    let x = grid.x
    let n = x.count
    var r = [Double](repeating: 0, count: n)
    grid.dx.withUnsafeBufferPointer { dx in
      y.withUnsafeBufferPointer { y in
        r.withUnsafeMutableBufferPointer { r in
          var previous = (y[1] - y[0]) / dx[0]
          for i in 1..<(n - 1) {
            let slope = (y[i + 1] - y[i]) / dx[i]
            r[i] = 3 * (dx[i] * previous + dx[i - 1] * slope)
            previous = slope
          }
          let slope0 = (y[1] - y[0]) / dx[0]
          let slope1 = (y[2] - y[1]) / dx[1]
          let d0 = x[2] - x[0]
          r[0] = ((dx[0] + 2 * d0) * dx[1] * slope0 + dx[0] * dx[0] * slope1) / d0
          let last = (y[n - 1] - y[n - 2]) / dx[n - 2]
          let beforeLast = (y[n - 2] - y[n - 3]) / dx[n - 3]
          let dn = x[n - 1] - x[n - 3]
          r[n - 1] = (dx[n - 2] * dx[n - 2] * beforeLast + (2 * dn + dx[n - 2]) * dx[n - 3] * last) / dn
        }
      }
    }
    return r
  }

  private static func notAKnotSlopes(_ grid: SplineGrid, _ y: [Double]) -> [Double] {
    let x = grid.x
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
    // Right-hand side, forward elimination with the grid's multipliers, back substitution. Unsafe
    // buffers keep these loops free of bounds checks: they are most of the preprocessing time.
    var r = rightHandSide(grid, y)
    var s = [Double](repeating: 0, count: n)
    grid.w.withUnsafeBufferPointer { w in
      grid.inverseDiagonal.withUnsafeBufferPointer { inverse in
        grid.upper.withUnsafeBufferPointer { c in
          r.withUnsafeMutableBufferPointer { r in
            for i in 1..<n { r[i] -= w[i] * r[i - 1] }
            s.withUnsafeMutableBufferPointer { s in
              s[n - 1] = r[n - 1] * inverse[n - 1]
              for i in stride(from: n - 2, through: 0, by: -1) { s[i] = (r[i] - c[i] * s[i + 1]) * inverse[i] }
            }
          }
        }
      }
    }
    return s
  }

  /// Values at `points` (ascending); points outside the knots extrapolate the end pieces.
  func evaluate(at points: [Double]) -> [Double] {
    guard grid.x.count > 1 else { return points.map { _ in y.first ?? .nan } }
    return evaluate(grid.plan(points))
  }

  /// Values at a precomputed evaluation plan of this spline's grid.
  func evaluate(_ plan: SplineGrid.Plan) -> [Double] {
    let count = plan.interval.count
    guard grid.x.count > 1 else { return [Double](repeating: y.first ?? .nan, count: count) }
    return [Double](unsafeUninitializedCapacity: count) { out, initialized in
      grid.dx.withUnsafeBufferPointer { dx in
        y.withUnsafeBufferPointer { y in
          slopes.withUnsafeBufferPointer { slopes in
            plan.interval.withUnsafeBufferPointer { interval in
              plan.offset.withUnsafeBufferPointer { offset in
                for j in 0..<count {
                  let i = interval[j]
                  let h = dx[i]
                  let t = offset[j]
                  let m = (y[i + 1] - y[i]) / h
                  let c2 = (3 * m - 2 * slopes[i] - slopes[i + 1]) / h
                  let c3 = (slopes[i] + slopes[i + 1] - 2 * m) / (h * h)
                  out[j] = y[i] + t * (slopes[i] + t * (c2 + t * c3))
                }
              }
            }
          }
        }
      }
      initialized = count
    }
  }
}
