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

  private static func normalize(_ x: ArraySlice<Float>, into out: inout [Float], offset: Int, minMax: Bool, eps: Double)
  {
    guard !x.isEmpty else { return }
    x.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { whole in
        let output = UnsafeMutableBufferPointer(rebasing: whole[offset..<(offset + input.count)])
        if minMax {
          // Float → Double is exact, so the extremes can be found in Float.
          var low = input[0]
          var high = input[0]
          for v in input {
            low = Swift.min(low, v)
            high = Swift.max(high, v)
          }
          let base = Double(low)
          let scale = 1 / (Double(high) - base + eps)
          for i in 0..<input.count { output[i] = Float(Swift.min(Swift.max((Double(input[i]) - base) * scale, 0), 1)) }
        } else {
          let n = Double(input.count)
          var sum = 0.0
          for v in input { sum += Double(v) }
          let mean = sum / n
          var squares = 0.0
          for v in input {
            let d = Double(v) - mean
            squares += d * d
          }
          let scale = 1 / ((squares / n).squareRoot() + eps)
          for i in 0..<input.count { output[i] = Float((Double(input[i]) - mean) * scale) }
        }
      }
    }
  }
}
