/// How a signal window is scaled before it reaches a model (`--ecg_norm`), computed in float64 as the
/// reference does.
public enum SignalNormalization: String, Sendable, CaseIterable {
  /// clip((x − min)/(max − min + ε), 0, 1) over the whole window.
  case instanceMinMax = "instance_minmax"
  /// (x − mean)/(std + ε) over the whole window, population std, no clipping.
  case instanceZScore = "instance_zscore"
  /// Min-max per lead.
  case leadMinMax = "lead_minmax"
  /// Z-score per lead.
  case leadZScore = "lead_zscore"

  /// Normalises lead-major `values` of `leads` rows; returns float32 values.
  public func apply(_ values: [Float], leads: Int, eps: Double = 1e-6) -> [Float] {
    precondition(leads > 0 && values.count % leads == 0, "\(values.count) values do not split into \(leads) leads")
    let length = values.count / leads
    var out = [Float](repeating: 0, count: values.count)
    switch self {
    case .instanceMinMax, .instanceZScore:
      Self.normalize(values[...], into: &out, offset: 0, minMax: self == .instanceMinMax, eps: eps)
    case .leadMinMax, .leadZScore:
      for lead in 0..<leads {
        let range = (lead * length)..<((lead + 1) * length)
        Self.normalize(values[range], into: &out, offset: range.lowerBound, minMax: self == .leadMinMax, eps: eps)
      }
    }
    return out
  }

  private static func normalize(_ x: ArraySlice<Float>, into out: inout [Float], offset: Int, minMax: Bool, eps: Double) {
    guard !x.isEmpty else { return }
    if minMax {
      var low = Double.infinity
      var high = -Double.infinity
      for v in x {
        low = Swift.min(low, Double(v))
        high = Swift.max(high, Double(v))
      }
      let scale = high - low + eps
      for (i, v) in x.enumerated() { out[offset + i] = Float(Swift.min(Swift.max((Double(v) - low) / scale, 0), 1)) }
    } else {
      let n = Double(x.count)
      let mean = x.reduce(0.0) { $0 + Double($1) } / n
      let variance = x.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
      let scale = variance.squareRoot() + eps
      for (i, v) in x.enumerated() { out[offset + i] = Float((Double(v) - mean) / scale) }
    }
  }
}
