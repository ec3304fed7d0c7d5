/// The reference's early stopping (pipeline.md §10.2): with the epoch average losses ℓ₀…ℓₖ, once there are at
/// least `patience` + 1 of them, stop when min(last `patience`) > min(all earlier) − `delta` — the last
/// `patience` epochs did not improve on the best before them by at least `delta` (absolute loss units).
public struct EarlyStopping: Sendable, Equatable {
  public let patience: Int
  public let delta: Double

  public init(patience: Int, delta: Double) {
    precondition(patience >= 1, "patience must be at least 1")
    self.patience = patience
    self.delta = delta
  }

  /// Whether training stops after the epochs whose average losses are `losses`.
  public func shouldStop(losses: [Double]) -> Bool {
    guard losses.count >= patience + 1 else { return false }
    let recent = losses.suffix(patience).min()!
    let before = losses.dropLast(patience).min()!
    return recent > before - delta
  }
}
