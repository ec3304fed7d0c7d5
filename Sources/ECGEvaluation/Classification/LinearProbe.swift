import Torch

/// Frozen features with their multi-hot labels: one split of a downstream task.
public struct LabeledFeatures: Sendable {
  /// float32 [N, D], one pooled feature vector per record.
  public var features: Tensor
  /// float32 [N, K] of 0/1.
  public var labels: Tensor

  public init(features: Tensor, labels: Tensor) {
    precondition(features.shape.count == 2 && labels.shape.count == 2, "features [N, D] and labels [N, K]")
    precondition(features.shape[0] == labels.shape[0], "one label row per feature row")
    self.features = features.to(.float32)
    self.labels = labels.to(.float32)
  }

  public var count: Int { features.shape[0] }
}

/// The linear probe's optimiser (classification.md §2.2, MERL's values).
public struct LinearProbeConfiguration: Sendable, Codable, Equatable {
  public var learningRate = 1e-3
  /// L2 added to the gradient, as torch `Adam`'s `weight_decay`.
  public var weightDecay = 1e-4
  public var beta1 = 0.9
  public var beta2 = 0.999
  public var batchSize = 16
  public var epochs = 100
  /// From this epoch on (0-based) the learning rate is multiplied by `decayFactor` (MERL's milestone read as epochs).
  public var decayEpoch = 40
  public var decayFactor = 0.1

  enum CodingKeys: String, CodingKey {
    case learningRate = "lr"
    case weightDecay = "weight_decay"
    case beta1, beta2
    case batchSize = "batch_size"
    case epochs
    case decayEpoch = "decay_epoch"
    case decayFactor = "decay_factor"
  }

  public init() {}
}

/// What a probe run gives: the test scores at the best validation epoch (the headline) and MERL's
/// test-set-selected maximum (reported only as `merl_compat`).
public struct LinearProbeResult: Sendable, Codable, Equatable {
  /// 0-based epoch with the best validation macro AUROC (the first on ties).
  public var bestEpoch: Int
  public var validationAUROC: Double
  /// Test scores of the best-validation epoch (`test_at_best_val`).
  public var test: ClassificationScores
  /// The maximum test macro AUROC over epochs (`merl_compat`: selected on the test set, never a headline).
  public var maxTestAUROCOverEpochs: Double
  /// Validation macro AUROC after each epoch.
  public var validationAUROCByEpoch: [Double]
  /// Per-class test ROC curves of the best-validation epoch (for the report's plots).
  public var testROC: [ROCCurve] = []

  enum CodingKeys: String, CodingKey {
    case bestEpoch = "best_epoch"
    case validationAUROC = "val_auroc_macro"
    case test = "test_at_best_val"
    case maxTestAUROCOverEpochs = "merl_compat_max_test_auroc"
    case validationAUROCByEpoch = "val_auroc_by_epoch"
    case testROC = "test_roc"
  }

  /// Tracks the epochs of a probe or fine-tuning run: selection by validation macro AUROC (first best on ties)
  /// and MERL's test-set maximum.
  struct Selection {
    private var best: (epoch: Int, auroc: Double, test: ClassificationScores, roc: [ROCCurve])?
    private var maxTest = -Double.infinity
    private var curve: [Double] = []

    mutating func record(epoch: Int, validation: ClassificationScores, testScores: Tensor, testLabels: Tensor) {
      let test = ClassificationScores(scores: testScores, labels: testLabels)
      curve.append(validation.aurocMacro)
      maxTest = max(maxTest, test.aurocMacro)
      if best == nil || validation.aurocMacro > best!.auroc {
        best = (epoch, validation.aurocMacro, test, ROCCurve.perClass(scores: testScores, labels: testLabels))
      }
    }

    var result: LinearProbeResult {
      let chosen = best ?? (0, .nan, ClassificationScores(scores: [], labels: []), [])
      return LinearProbeResult(
        bestEpoch: chosen.epoch, validationAUROC: chosen.auroc, test: chosen.test, maxTestAUROCOverEpochs: maxTest,
        validationAUROCByEpoch: curve, testROC: chosen.roc)
    }
  }
}

/// Trains `Linear(D, K)` on frozen features with BCE-with-logits and Adam, selecting the epoch by validation macro
/// AUROC (classification.md §2.2).
///
/// Randomness (head initialisation, the batch order reshuffled every epoch) comes from libtorch's default
/// generator seeded with `seed`, so a seed reproduces a run.
public func trainLinearProbe(
  train: LabeledFeatures, validation: LabeledFeatures, test: LabeledFeatures, seed: UInt64,
  configuration: LinearProbeConfiguration = LinearProbeConfiguration()
) -> LinearProbeResult {
  precondition(train.count > 0, "the training split is empty")
  Torch.manualSeed(seed)
  let head = Linear(train.features.shape[1], train.labels.shape[1])
  let optimizer = Adam(
    head.namedParameters(), learningRate: configuration.learningRate,
    betas: (configuration.beta1, configuration.beta2), weightDecay: configuration.weightDecay)
  var selection = LinearProbeResult.Selection()
  for epoch in 0..<configuration.epochs {
    optimizer.learningRate =
      configuration.learningRate * (epoch >= configuration.decayEpoch ? configuration.decayFactor : 1)
    let order = Tensor.randperm(train.count)
    for start in stride(from: 0, to: train.count, by: configuration.batchSize) {
      let rows = order[start..<min(start + configuration.batchSize, train.count)]
      let logits = head(train.features.indexSelect(dim: 0, index: rows))
      let loss = Functional.binaryCrossEntropyWithLogits(logits, train.labels.indexSelect(dim: 0, index: rows))
      optimizer.zeroGrad()
      loss.backward()
      optimizer.step()
    }
    let validationScores = withNoGrad {
      ClassificationScores(scores: head(validation.features), labels: validation.labels)
    }
    let testLogits = withNoGrad { head(test.features) }
    selection.record(epoch: epoch, validation: validationScores, testScores: testLogits, testLabels: test.labels)
  }
  return selection.result
}
