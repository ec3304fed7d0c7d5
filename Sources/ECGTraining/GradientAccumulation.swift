/// Gradient accumulation over `steps` micro-batches: scale each micro-batch loss by `lossScale` and step the
/// optimizer when `recordMicroBatch()` returns true. (The reference only uses the count for LR scaling;
/// here accumulation is real.)
public struct GradientAccumulation: Sendable {
  public let steps: Int
  public private(set) var microBatch = 0

  public init(steps: Int) {
    precondition(steps >= 1, "gradient accumulation needs at least one step")
    self.steps = steps
  }

  /// Multiply each micro-batch loss by this so the accumulated gradient is the mean over micro-batches.
  public var lossScale: Double { 1 / Double(steps) }

  /// Counts a micro-batch; true when the optimizer should step now.
  public mutating func recordMicroBatch() -> Bool {
    microBatch += 1
    if microBatch == steps {
      microBatch = 0
      return true
    }
    return false
  }
}
