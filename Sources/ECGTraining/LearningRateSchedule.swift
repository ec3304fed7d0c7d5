import Foundation

/// The reference's learning-rate multiplier: linear warm-up, then constant, cosine or inverse-sqrt decay.
///
/// `Codable` with the reference's flag names (`lr_schedule`, `warmup`, `max_steps`, `min_lr_ratio`), the keys
/// `OptimizerConfiguration` uses for the same settings.
public struct LearningRateSchedule: Sendable, Equatable, Codable {
  public enum Decay: String, Sendable, CaseIterable, Codable {
    case constant
    case cosine
    case inverseSqrt = "inv_sqrt"
  }

  public var decay: Decay
  /// Warm-up steps W: the multiplier rises as (s + 1) / W.
  public var warmupSteps: Int
  /// Total optimizer steps; the cosine reaches `minRatio` there and stays.
  public var maxSteps: Int
  /// The cosine's floor, as a fraction of the peak.
  public var minRatio: Double

  enum CodingKeys: String, CodingKey {
    case decay = "lr_schedule"
    case warmupSteps = "warmup"
    case maxSteps = "max_steps"
    case minRatio = "min_lr_ratio"
  }

  public init(decay: Decay, warmupSteps: Int, maxSteps: Int, minRatio: Double = 0.1) {
    self.decay = decay
    self.warmupSteps = warmupSteps
    self.maxSteps = maxSteps
    self.minRatio = minRatio
  }

  /// The multiplier for the step that follows `step` completed steps (0-based).
  public func multiplier(atStep step: Int) -> Double {
    let w = warmupSteps
    if w > 0 && step < w { return Double(step + 1) / Double(w) }
    switch decay {
    case .constant:
      return 1
    case .inverseSqrt:
      return 1 / Double(max(1, step - w + 1)).squareRoot()
    case .cosine:
      let progress = Double(step - w) / Double(max(1, maxSteps - w))
      return minRatio + 0.5 * (1 - minRatio) * (1 + cos(Double.pi * min(progress, 1)))
    }
  }
}
