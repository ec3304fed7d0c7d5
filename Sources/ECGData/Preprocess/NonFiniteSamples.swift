/// Where a record's leads hold NaN or ±Inf, so that resampling can go around them and only the
/// windows that contain them are dropped.
///
/// The spline solve is global: one NaN would make a whole lead NaN (the reference then drops the
/// record). Instead the bad samples are bridged linearly before the solve, and every output window whose
/// time span comes within `margin` input samples of a bad sample is reported as non-finite.
struct NonFiniteSamples {
  /// Input frames that hold a non-finite value in any lead, ascending.
  let frames: [Int]
  /// Input samples on each side of a bad sample whose outputs are also distrusted.
  static let margin = 3

  init(_ leads: [[Double]]) {
    var bad = Set<Int>()
    for lead in leads {
      for (k, value) in lead.enumerated() where !value.isFinite { bad.insert(k) }
    }
    frames = bad.sorted()
  }

  var isEmpty: Bool { frames.isEmpty }

  /// `lead` with non-finite samples replaced by a straight line between their finite neighbours
  /// (the nearest finite value at the ends, 0 when none is finite).
  static func bridged(_ lead: [Double]) -> [Double] {
    guard lead.contains(where: { !$0.isFinite }) else { return lead }
    var out = lead
    var k = 0
    while k < out.count {
      guard !out[k].isFinite else {
        k += 1
        continue
      }
      var end = k
      while end < out.count && !out[end].isFinite { end += 1 }
      let left = k > 0 ? out[k - 1] : nil
      let right = end < out.count ? out[end] : nil
      for j in k..<end {
        switch (left, right) {
        case let (l?, r?): out[j] = l + (r - l) * Double(j - k + 1) / Double(end - k + 1)
        case let (l?, nil): out[j] = l
        case let (nil, r?): out[j] = r
        default: out[j] = 0
        }
      }
      k = end
    }
    return out
  }

  /// Whether output window `s` (samples `[s·L, (s+1)·L)` of `outputCount` spread over the same span as
  /// `inputCount` input samples) comes near a bad input sample.
  func touches(window s: Int, length: Int, outputCount: Int, inputCount: Int) -> Bool {
    guard !frames.isEmpty else { return false }
    // Output j and input k share the grid linspace(0, D, ·): input position of output j is j·(N−1)/(M−1).
    let scale = outputCount > 1 ? Double(inputCount - 1) / Double(outputCount - 1) : 0
    let low = Int((Double(s * length) * scale).rounded(.down)) - Self.margin
    let high = Int((Double((s + 1) * length - 1) * scale).rounded(.up)) + Self.margin
    var lo = 0
    var hi = frames.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if frames[mid] < low { lo = mid + 1 } else { hi = mid }
    }
    return lo < frames.count && frames[lo] <= high
  }
}
