import ECGCore

/// Where the trainer's batches come from: a fixed number per epoch, reproducible from (seed, epoch, position)
/// so that a resumed run sees exactly the batches an uninterrupted one would.
public protocol TrainingBatches {
  /// Micro-batches in one epoch.
  var batchesPerEpoch: Int { get }
  /// The batches of `epoch` from position `start` on (the first `start` are skipped, as a resumed run has
  /// already trained on them).
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput>
}
