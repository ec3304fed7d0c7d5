/// What stops a training run before or while it runs, each with what to do.
public enum TrainingError: Error, CustomStringConvertible, Sendable, Equatable {
  /// A setting that cannot run.
  case invalidConfiguration(String)
  /// A checkpoint or run folder that cannot be resumed from.
  case cannotResume(String)
  /// A path that is not a checkpoint or run folder (for resuming, evaluating or sampling alike).
  case notACheckpoint(String)
  /// The loss became NaN or infinite.
  case nonFiniteLoss(step: Int, value: Double)
  /// The dataset holds no window.
  case noBatches
  /// Every window of an epoch failed to load (each was reported as it was skipped).
  case noLoadableWindow(epoch: Int)

  public var description: String {
    switch self {
    case .invalidConfiguration(let message): message
    case .cannotResume(let message): "cannot resume: \(message)"
    case .notACheckpoint(let message): message
    case .nonFiniteLoss(let step, let value):
      "the loss became \(value) at optimizer step \(step); lower --lr, set --grad_clip 1, or check the data"
    case .noBatches: "the dataset gave no batch; check --data and that the store holds windows"
    case .noLoadableWindow(let epoch):
      "no window of epoch \(epoch) could be loaded: each was skipped with its reason (the 'skipped window' lines "
        + "above); check the store's records, or rebuild the store with `ecg preprocess` (it skips bad records)"
    }
  }
}
