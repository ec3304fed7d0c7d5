/// Cuts resampled 12-lead signals into consecutive, non-overlapping windows.
public enum Segmenter {
  /// A window in lead-major layout (`leads * length` values) and whether it held NaN or ±Inf.
  public struct Window: Sendable {
    /// Window number within its record (s in `[s·L, (s+1)·L)`).
    public var index: Int
    /// Lead-major values: lead `c`, sample `t` at `c * length + t`.
    public var values: [Float]
    /// True when any value was NaN or infinite (such windows are dropped and counted).
    public var isFinite: Bool
  }

  /// Windows of `length` samples from `leads` (each the same length); the remainder is discarded.
  public static func windows(_ leads: [[Double]], length: Int) -> [Window] {
    guard let count = leads.first?.count, length > 0 else { return [] }
    let windows = count / length
    return (0..<windows).map { s in
      var values = [Float](repeating: 0, count: leads.count * length)
      var finite = true
      for (c, lead) in leads.enumerated() {
        for t in 0..<length {
          let v = lead[s * length + t]
          if !v.isFinite { finite = false }
          values[c * length + t] = Float(v)
        }
      }
      return Window(index: s, values: values, isFinite: finite)
    }
  }
}
