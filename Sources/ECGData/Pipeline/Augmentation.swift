import Foundation

/// The reference's `--augment` (pipeline.md §4.4), with its probabilities and magnitudes: with probability
/// 1/4 add Gaussian noise of 0.05·σ (σ = population std of the window), and then with probability 1/4 a
/// sinusoidal baseline wander of amplitude 0.07·max|x| and k ∈ 1…5 half-periods over the window.
/// Draws come from the caller's seeded generator, so a run is reproducible (the reference's are not).
public struct Augmentation: Sendable {
  public var probability: Double = 0.25
  public var noiseScale: Double = 0.05
  public var wanderProbability: Double = 0.25
  public var wanderScale: Double = 0.07

  public init() {}

  public func apply(_ window: ECGWindow, random: inout Xoshiro256StarStar) -> ECGWindow {
    guard random.nextUnit() < probability else { return window }
    let x = window.values.map(Double.init)
    let n = Double(x.count)
    let mean = x.reduce(0, +) / n
    let sigma = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
    var out = x.map { $0 + random.normal(mean: 0, deviation: noiseScale * sigma) }
    if random.nextUnit() < wanderProbability {
      let amplitude = wanderScale * (x.map(Swift.abs).max() ?? 0)
      let halfPeriods = 1 + random.uniformInt(below: 5)
      let length = window.length
      for t in 0..<length {
        let theta = length > 1 ? Double(halfPeriods) * Double.pi * Double(t) / Double(length - 1) : 0
        let w = amplitude * sin(theta)
        for lead in 0..<window.leads { out[lead * length + t] += w }
      }
    }
    var result = window
    result.values = out.map(Float.init)
    return result
  }
}
