import ECGData
import Torch

/// What a downstream evaluation runs: protocol, fractions, seeds and the optimisers' settings.
public struct ClassificationSettings: Sendable {
  public var protocolKind: ClassificationProtocol
  /// Label fractions in (0, 1] (classification.md §2.2.5: 0.01, 0.1, 1).
  public var labelFractions: [Double]
  /// Run seeds (head initialisation, batch order, the random-initialisation encoder).
  public var seeds: [UInt64]
  /// Seed of the label-fraction subset (42 as MERL).
  public var subsetSeed: UInt32 = 42
  public var probe = LinearProbeConfiguration()
  public var fineTuning = FineTuningConfiguration()
  /// Windows per feature-extraction batch.
  public var batchSize = 64
  public var device: Device = .cpu

  public init(protocolKind: ClassificationProtocol, labelFractions: [Double], seeds: [UInt64]) {
    self.protocolKind = protocolKind
    self.labelFractions = labelFractions
    self.seeds = seeds
  }
}

/// Progress of a downstream evaluation, for the command line to render.
public enum ClassificationProgress: Sendable {
  case extractingFeatures(encoder: String, split: Split)
  case finishedRun(encoder: String, fraction: Double, seed: UInt64, testAUROC: Double)
}

/// Runs the linear probe or fine-tuning of classification.md §2–3 for every label fraction and seed, on the
/// pretrained encoder and on the same network at default initialisation (§6), and collects the table rows.
public enum ClassificationEvaluation {
  /// - Parameters:
  ///   - pretrained: makes the network with the checkpoint's weights (called again for every fine-tuning run, as
  ///     fine-tuning changes it).
  ///   - randomInitialisation: makes the same network at default initialisation drawn from the given seed.
  public static func run(
    dataset: ClassificationDataset, store: DatasetStore, preparation: WindowPreparation,
    settings: ClassificationSettings, dataName: String,
    pretrained: () throws -> any FeatureExtracting,
    randomInitialisation: (UInt64) throws -> any FeatureExtracting,
    progress: (ClassificationProgress) -> Void = { _ in }
  ) throws -> ClassificationResults {
    try checkFractionsKeepRows(settings.labelFractions, trainingRows: dataset.train.count)
    var rows: [ClassificationRow] = []
    var notes: [String] = []
    switch settings.protocolKind {
    case .linear:
      notes.append(
        "lr x \(settings.probe.decayFactor) from epoch \(settings.probe.decayEpoch) (MERL's milestone read as "
          + "epochs; MERL's script reaches it at step 40)")
      let frozen = try frozenSplits(try pretrained(), "pretrained", dataset, store, preparation, settings, progress)
      rows += linearRows(frozen, encoder: "pretrained", dataset: dataset, settings: settings, progress: progress)
      var randomRuns: [Double: [LinearProbeResult]] = [:]
      for seed in settings.seeds {
        Torch.manualSeed(seed)
        let network = try randomInitialisation(seed)
        let features = try frozenSplits(
          network, "random init (frozen)", dataset, store, preparation, settings, progress)
        for fraction in settings.labelFractions {
          let run = probe(features, fraction: fraction, seed: seed, dataset: dataset, settings: settings)
          progress(
            .finishedRun(
              encoder: "random init (frozen)", fraction: fraction, seed: seed,
              testAUROC: run.test.aurocMacro))
          randomRuns[fraction, default: []].append(run)
        }
      }
      for fraction in settings.labelFractions {
        rows.append(row("random init (frozen)", fraction, randomRuns[fraction]!, dataset, settings))
      }
    case .finetune:
      for encoder in ["pretrained", "scratch"] {
        for fraction in settings.labelFractions {
          let train = dataset.train.subset(subset(dataset, fraction, settings))
          var runs: [LinearProbeResult] = []
          for seed in settings.seeds {
            Torch.manualSeed(seed)
            let network = encoder == "pretrained" ? try pretrained() : try randomInitialisation(seed)
            network.to(device: settings.device)
            let run = fineTune(
              network, featureWidth: try featureWidth(network, dataset, store, preparation, settings), train: train,
              validation: dataset.validation, test: dataset.test, store: store, preparation: preparation, seed: seed,
              configuration: settings.fineTuning, batchSize: settings.batchSize, device: settings.device)
            progress(.finishedRun(encoder: encoder, fraction: fraction, seed: seed, testAUROC: run.test.aurocMacro))
            runs.append(run)
          }
          rows.append(row(encoder, fraction, runs, dataset, settings))
        }
      }
    case .zeroshot:
      throw ClassificationError("zero-shot has no training runs; call zeroShot(_:prompts:…) with a MERL network")
    }
    return ClassificationResults(
      labels: dataset.labelSet, data: dataName, protocolName: settings.protocolKind.rawValue, classes: dataset.classes,
      splitRecords: ["train": dataset.train.count, "validation": dataset.validation.count, "test": dataset.test.count],
      droppedRecords: dataset.droppedRecords, missingRecords: dataset.missingRecords, seeds: settings.seeds,
      rows: rows, zeroShot: nil, notes: notes)
  }

  /// Refuses, before any feature is extracted, a label fraction whose subset of the training split is empty.
  static func checkFractionsKeepRows(_ fractions: [Double], trainingRows n: Int) throws {
    for fraction in fractions where LabelFraction.keptCount(count: n, fraction: fraction) == 0 {
      // The fractions that work, written as the flag takes them (one comma-separated word); 1 always works.
      let working = fractions.filter { LabelFraction.keptCount(count: n, fraction: $0) > 0 }
      throw ClassificationError(
        "--label_fraction \(fraction) keeps no record of the \(n) in the training split (⌊\(fraction) × \(n)⌋ = 0; "
          + "scikit-learn's train_test_split refuses it too): pass fractions of at least 1/\(n), e.g. "
          + "--label_fraction \(LabelFraction.flagValue(working.isEmpty ? [1] : working)), or use more data")
    }
  }

  private struct FrozenSplits {
    var train: LabeledFeatures
    var validation: LabeledFeatures
    var test: LabeledFeatures
  }

  private static func frozenSplits(
    _ network: any FeatureExtracting, _ encoder: String, _ dataset: ClassificationDataset, _ store: DatasetStore,
    _ preparation: WindowPreparation, _ settings: ClassificationSettings,
    _ progress: (ClassificationProgress) -> Void
  ) throws -> FrozenSplits {
    network.to(device: settings.device)
    func features(_ split: ClassificationSplit, _ name: Split) -> LabeledFeatures {
      progress(.extractingFeatures(encoder: encoder, split: name))
      return extractFeatures(
        network, split: split, store: store, preparation: preparation, batchSize: settings.batchSize,
        device: settings.device)
    }
    return FrozenSplits(
      train: features(dataset.train, .train), validation: features(dataset.validation, .validation),
      test: features(dataset.test, .test))
  }

  private static func subset(_ dataset: ClassificationDataset, _ fraction: Double, _ settings: ClassificationSettings)
    -> [Int]
  {
    LabelFraction.subset(count: dataset.train.count, fraction: fraction, seed: settings.subsetSeed)
  }

  private static func probe(
    _ frozen: FrozenSplits, fraction: Double, seed: UInt64, dataset: ClassificationDataset,
    settings: ClassificationSettings
  ) -> LinearProbeResult {
    let rows = Tensor(subset(dataset, fraction, settings).map(Int64.init))
    let train = LabeledFeatures(
      features: frozen.train.features.indexSelect(dim: 0, index: rows),
      labels: frozen.train.labels.indexSelect(dim: 0, index: rows))
    return trainLinearProbe(
      train: train, validation: frozen.validation, test: frozen.test, seed: seed, configuration: settings.probe)
  }

  private static func linearRows(
    _ frozen: FrozenSplits, encoder: String, dataset: ClassificationDataset, settings: ClassificationSettings,
    progress: (ClassificationProgress) -> Void
  ) -> [ClassificationRow] {
    settings.labelFractions.map { fraction in
      let runs = settings.seeds.map { seed in
        let run = probe(frozen, fraction: fraction, seed: seed, dataset: dataset, settings: settings)
        progress(.finishedRun(encoder: encoder, fraction: fraction, seed: seed, testAUROC: run.test.aurocMacro))
        return run
      }
      return row(encoder, fraction, runs, dataset, settings)
    }
  }

  private static func row(
    _ encoder: String, _ fraction: Double, _ runs: [LinearProbeResult], _ dataset: ClassificationDataset,
    _ settings: ClassificationSettings
  ) -> ClassificationRow {
    ClassificationRow(
      encoder: encoder, protocolName: settings.protocolKind.rawValue, fraction: fraction,
      trainRecords: subset(dataset, fraction, settings).count, runs: runs, labelSet: dataset.labelSet)
  }

  /// The width D of the network's pooled features (one window through it).
  static func featureWidth(
    _ network: any FeatureExtracting, _ dataset: ClassificationDataset, _ store: DatasetStore,
    _ preparation: WindowPreparation, _ settings: ClassificationSettings
  ) throws -> Int {
    network.eval()
    let signal = preparation.batch(store, indices: [dataset.train.windows[0]]).to(device: settings.device)
    return withNoGrad { network.pooledFeatures(signal).shape[1] }
  }
}
