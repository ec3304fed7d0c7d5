import ECGTokenizer

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

  /// Whether the statistics are taken per lead rather than over the whole window.
  public var isPerLead: Bool { self == .leadMinMax || self == .leadZScore }

  /// Normalises lead-major `values` of `leads` rows; returns float32 values.
  public func apply(_ values: [Float], leads: Int, eps: Double = 1e-6) -> [Float] {
    precondition(leads > 0 && values.count % leads == 0, "\(values.count) values do not split into \(leads) leads")
    let length = values.count / leads
    var out = [Float](repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { output in
        let shared = isPerLead ? nil : scaling(of: input, lead: 0, leads: leads, eps: eps)
        for lead in 0..<leads {
          let range = (lead * length)..<((lead + 1) * length)
          let scaling = shared ?? self.scaling(of: input, lead: lead, leads: leads, eps: eps)
          scaling.apply(
            UnsafeBufferPointer(rebasing: input[range]), to: UnsafeMutableBufferPointer(rebasing: output[range]))
        }
      }
    }
    return out
  }

  /// The affine map of lead `lead` of lead-major `values` (the same for every lead with instance statistics).
  public func scaling(of values: UnsafeBufferPointer<Float>, lead: Int, leads: Int, eps: Double) -> Scaling {
    let length = values.count / leads
    let part = isPerLead ? UnsafeBufferPointer(rebasing: values[(lead * length)..<((lead + 1) * length)]) : values
    switch self {
    case .instanceMinMax, .leadMinMax:
      guard let (low, high) = FloatExtremes.of(part) else { return Scaling(offset: 0, scale: 1, clips: true) }
      // Float → Double is exact, so the extremes can be found in Float.
      return Scaling(offset: Double(low), scale: 1 / (Double(high) - Double(low) + eps), clips: true)
    case .instanceZScore, .leadZScore:
      let (mean, deviation) = SampleStatistics.meanAndDeviation(part)
      return Scaling(offset: mean, scale: 1 / (deviation + eps), clips: false)
    }
  }

  /// y = (x − offset)·scale in float64, clipped to [0, 1] for min-max, rounded to float32.
  public struct Scaling: Sendable, Equatable {
    public var offset: Double
    public var scale: Double
    public var clips: Bool

    /// Writes the scaled `input` into `output` (of the same count).
    public func apply(_ input: UnsafeBufferPointer<Float>, to output: UnsafeMutableBufferPointer<Float>) {
      precondition(input.count == output.count, "scaling \(input.count) values into \(output.count)")
      guard let source = input.baseAddress, let target = output.baseAddress else { return }
      let (offset, scale) = (self.offset, self.scale)
      if clips {
        // Eight lanes at a time in float64 (as the reference computes), clipped, rounded to float32.
        let (zero, one) = (SIMD8<Double>(repeating: 0), SIMD8<Double>(repeating: 1))
        let lanes = input.count / 8 * 8
        var i = 0
        while i < lanes {
          var y = (SIMD8<Double>(UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)) - offset) * scale
          y.replace(with: zero, where: y .< zero)
          y.replace(with: one, where: y .> one)
          UnsafeMutableRawPointer(target + i).storeBytes(of: SIMD8<Float>(y), as: SIMD8<Float>.self)
          i += 8
        }
        for j in lanes..<input.count {
          target[j] = Float(Swift.min(Swift.max((Double(source[j]) - offset) * scale, 0), 1))
        }
      } else {
        for i in 0..<input.count { target[i] = Float((Double(source[i]) - offset) * scale) }
      }
    }
  }
}
