import ECGData
import Foundation
import Torch

/// Full fine-tuning (classification.md §3, ECGEncoder's recipe after ST-MEM): encoder and `Linear(D, K)` head all
/// trainable, BCE-with-logits, AdamW with lr = blr · batch / 256, per-iteration linear warm-up then half-cycle
/// cosine to 0, no augmentation; the epoch is selected by validation macro AUROC.
public struct FineTuningConfiguration: Sendable, Codable, Equatable {
  public var baseLearningRate = 1e-3
  public var weightDecay = 0.05
  public var beta1 = 0.9
  public var beta2 = 0.999
  public var batchSize = 16
  public var epochs = 10
  public var warmupEpochs = 3.0

  enum CodingKeys: String, CodingKey {
    case baseLearningRate = "blr"
    case weightDecay = "weight_decay"
    case beta1, beta2
    case batchSize = "batch_size"
    case epochs
    case warmupEpochs = "warmup_epochs"
  }

  public init() {}

  /// The peak learning rate blr · batch / 256 (6.25e-5 at the defaults).
  public var learningRate: Double { baseLearningRate * Double(batchSize) / 256 }

  /// ST-MEM's `adjust_learning_rate` at fractional epoch `progress` = step / steps-per-epoch + epoch.
  public func learningRate(atEpoch progress: Double) -> Double {
    if progress < warmupEpochs { return learningRate * progress / warmupEpochs }
    let span = max(Double(epochs) - warmupEpochs, 1e-12)
    return learningRate * 0.5 * (1 + Foundation.cos(Double.pi * (progress - warmupEpochs) / span))
  }
}

/// Fine-tunes `network` (modified in place) with a fresh head of `classes` outputs on `featureWidth` features.
/// Head initialisation and batch order come from libtorch's generator seeded with `seed`.
public func fineTune(
  _ network: some FeatureExtracting, featureWidth: Int, train: ClassificationSplit, validation: ClassificationSplit,
  test: ClassificationSplit, store: DatasetStore, preparation: WindowPreparation, seed: UInt64,
  configuration: FineTuningConfiguration = FineTuningConfiguration(), batchSize evaluationBatch: Int = 64,
  device: Device = .cpu
) -> LinearProbeResult {
  precondition(train.count > 0, "the training split is empty")
  Torch.manualSeed(seed)
  let classes = train.labels.first?.count ?? 0
  let head = Linear(featureWidth, classes)
  head.to(device: device)
  let optimizer = Adam.adamW(
    network.trainableParameters() + head.namedParameters(), learningRate: configuration.learningRate,
    betas: (configuration.beta1, configuration.beta2), weightDecay: configuration.weightDecay)
  let labels = train.labelTensor.to(device: device)
  let stepsPerEpoch = (train.count + configuration.batchSize - 1) / configuration.batchSize
  var selection = LinearProbeResult.Selection()

  func logits(_ split: ClassificationSplit) -> Tensor {
    network.eval()
    return withNoGrad {
      Tensor.cat(
        stride(from: 0, to: split.count, by: evaluationBatch).map { start in
          let indices = Array(split.windows[start..<min(start + evaluationBatch, split.count)])
          return head(network.pooledFeatures(preparation.batch(store, indices: indices).to(device: device)))
            .to(dtype: .float32).to(device: .cpu)
        }, dim: 0)
    }
  }

  for epoch in 0..<configuration.epochs {
    network.train()
    let order = Tensor.randperm(train.count).ints()
    for (step, start) in stride(from: 0, to: train.count, by: configuration.batchSize).enumerated() {
      optimizer.learningRate = configuration.learningRate(
        atEpoch: Double(step) / Double(stepsPerEpoch) + Double(epoch))
      let rows = Array(order[start..<min(start + configuration.batchSize, train.count)])
      let signal = preparation.batch(store, indices: rows.map { train.windows[$0] }).to(device: device)
      let target = labels.indexSelect(
        dim: 0, index: Tensor(rows.map(Int64.init), shape: [rows.count]).to(device: device))
      let loss = Functional.binaryCrossEntropyWithLogits(head(network.pooledFeatures(signal)), target)
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
    }
    let validationScores = ClassificationScores(scores: logits(validation), labels: validation.labelTensor)
    selection.record(
      epoch: epoch, validation: validationScores, testScores: logits(test), testLabels: test.labelTensor)
  }
  return selection.result
}
