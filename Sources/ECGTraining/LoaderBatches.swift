import ECGCore
import ECGData
import Torch

/// The batch loader as the trainer's batch source: its typed model inputs.
///
/// Every window's draws come from (seed, epoch, window), so skipping the first batches of an epoch on resume
/// yields exactly the batches an uninterrupted run would see next. The skipped batches are still built and
/// dropped (the loader has no way to start inside an epoch yet), which costs time proportional to the position.
public struct LoaderBatches: TrainingBatches {
  public let loader: BatchLoader

  public init(_ loader: BatchLoader) { self.loader = loader }

  public var batchesPerEpoch: Int { loader.batchesPerEpoch }

  public func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> {
    AnySequence(loader.batches(epoch: epoch).dropFirst(start).lazy.map(\.input))
  }
}
