import ECGCore
import ECGData
import Torch

/// The batch loader as the trainer's batch source: its collated batches turned into typed model inputs.
///
/// Every window's draws come from (seed, epoch, window), so skipping the first batches of an epoch on resume
/// yields exactly the batches an uninterrupted run would see next. The skipped batches are still built and
/// dropped (the loader has no way to start inside an epoch yet), which costs time proportional to the position.
public struct LoaderBatches: TrainingBatches {
  public let loader: BatchLoader

  public init(_ loader: BatchLoader) { self.loader = loader }

  public var batchesPerEpoch: Int { loader.batchesPerEpoch }

  public func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> {
    AnySequence(loader.batches(epoch: epoch).dropFirst(start).lazy.map { Self.modelInput($0) })
  }

  /// The reference's batch keys (pipeline.md §7) as a typed input.
  static func modelInput(_ batch: Batch) -> ModelInput {
    let tensors = batch.tensors
    if let ids = tensors["tgt_ids"] {
      return .tokens(TokenBatch(tgtIDs: ids, labels: tensors["labels"], signal: tensors["signal"]))
    }
    if let patches = tensors["patches"], let visible = tensors["visible_mask"] {
      return .patches(PatchBatch(patches: patches, visibleMask: visible, targets: tensors["targets"]))
    }
    guard let signal = tensors["signal"] ?? tensors["series"] else {
      preconditionFailure("a pretraining batch has signal, series, tgt_ids or patches; got \(tensors.keys.sorted())")
    }
    var condition: SignalCondition?
    if let lead = tensors["condition"] {
      condition = .lead(lead)
    } else if let ids = tensors["condition.input_ids"], let mask = tensors["condition.attention_mask"],
      let types = tensors["condition.token_type_ids"]
    {
      condition = .text(TextCondition(inputIDs: ids, attentionMask: mask, tokenTypeIDs: types))
    }
    return .signal(
      SignalBatch(
        signal: signal, paddingMask: tensors["padding_mask"], condition: condition,
        groundTruth12Lead: tensors["12_lead_gt"]))
  }
}
