import Foundation

/// Maps a data interval onto a pixel interval (the y pixel interval runs downwards, so pass it reversed), with
/// "nice" tick values (1, 2, 2.5 or 5 × 10ⁿ) for the axis labels.
struct LinearScale: Sendable {
  var domain: ClosedRange<Double>
  var range: (start: Double, end: Double)

  /// A scale over `domain`; an empty or non-finite domain is widened so that every point has a position.
  init(domain: ClosedRange<Double>, range: (start: Double, end: Double)) {
    var lower = domain.lowerBound.isFinite ? domain.lowerBound : 0
    var upper = domain.upperBound.isFinite ? domain.upperBound : 1
    if upper - lower < 1e-12 {
      lower -= 0.5
      upper += 0.5
    }
    self.domain = lower...upper
    self.range = range
  }

  /// The pixel position of `value`.
  func callAsFunction(_ value: Double) -> Double {
    let fraction = (value - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
    return range.start + fraction * (range.end - range.start)
  }

  /// About `count` evenly spaced round values inside the domain.
  func ticks(count: Int = 5) -> [Double] {
    let step = Self.niceStep(span: domain.upperBound - domain.lowerBound, count: count)
    var value = (domain.lowerBound / step).rounded(.up) * step
    var ticks: [Double] = []
    while value <= domain.upperBound + step * 1e-9 {
      ticks.append(abs(value) < step * 1e-9 ? 0 : value)
      value += step
    }
    return ticks
  }

  /// The round step for about `count` intervals over `span`.
  static func niceStep(span: Double, count: Int) -> Double {
    let raw = span / Double(max(count, 1))
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let candidates: [Double] = [1, 2, 2.5, 5, 10]
    return (candidates.first { $0 * magnitude >= raw } ?? 10) * magnitude
  }

  /// The finite range covered by `values` (0...1 when there is none).
  static func extent<S: Sequence>(_ values: S) -> ClosedRange<Double> where S.Element == Double {
    var lower = Double.infinity
    var upper = -Double.infinity
    for value in values where value.isFinite {
      lower = min(lower, value)
      upper = max(upper, value)
    }
    return lower <= upper ? lower...upper : 0...1
  }

  /// The label text for a tick value, with as many decimals as the tick step has (0.25 → two).
  static func label(_ value: Double, step: Double) -> String {
    let stepText = SVGMarkup.number(step, digits: 6)
    let decimals = stepText.split(separator: ".").dropFirst().first?.count ?? 0
    let text = String(format: "%.\(decimals)f", value)
    return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
  }
}
