import ECGData
import ECGEvaluation
import ECGModels
import Foundation
import TestSupport
import Testing
import Torch

/// An encoder whose one weight decides whether its features carry the heart rate: per lead, the number of upward
/// crossings of `threshold` by the lead's slope |x[t+1] − x[t]| scaled to [0, 1] (about one per QRS complex at
/// 0.5). Thresholds of 1 or more are never crossed, so the features are constant: an uninformative "random
/// initialisation" of the same network.
final class CrossingCounter: Module, FeatureExtracting {
  @Parameter("threshold") var threshold: Tensor

  init(threshold: Tensor) {
    super.init()
    self.threshold = threshold
  }

  func pooledFeatures(_ signal: Tensor) -> Tensor {
    let length = signal.size(2)
    let slope =
      (signal.narrow(dim: 2, start: 1, length: length - 1) - signal.narrow(dim: 2, start: 0, length: length - 1))
      .abs()
    let scaled = slope / (slope.max(dims: [2], keepDim: true) + 1e-6)
    let above = scaled.gt(threshold.reshape([1, -1, 1])).to(dtype: .float32)
    let previous = above.narrow(dim: 2, start: 0, length: length - 2)
    let rising = above.narrow(dim: 2, start: 1, length: length - 2) * (1 - previous)
    return rising.sum(dim: 2) / 10
  }
}

@Suite(.serialized) struct ClassificationProbeTests {
  /// 160 synthetic records (70/10/20 by patient): rhythm labels from the heart rate, axis labels, low voltage.
  static let store: DatasetStore = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("classification-probe-\(UUID().uuidString)")
    try! SyntheticDataset.write(count: 160, seed: 7, to: url, threads: 2)
    return try! DatasetStore(url: url)
  }()

  static func dataset(_ labelSet: ClassificationLabelSet = .synthetic) throws -> ClassificationDataset {
    try ClassificationDataset(store: store, labeler: try RecordLabeler(labelSet, labelsDirectory: nil))
  }

  /// Zero-shot reads only the test split, so a store without validation records still serves it.
  @Test func onlyTheRequiredSplitsMustHoldRecords() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "classification-splits-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    try SyntheticDataset.write(count: 8, seed: 3, to: url, threads: 1)  // train 7, validation 0, test 1
    let store = try DatasetStore(url: url)
    let labeler = try RecordLabeler(.synthetic, labelsDirectory: nil)
    let empty = [Split.train, .validation, .test].filter { store.indices(in: $0).isEmpty }
    try #require(!empty.isEmpty && !empty.contains(.test), "the 8-record store's splits: \(empty)")
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationDataset(store: store, labeler: labeler)
    }
    #expect(error?.message.contains("needs records in train, validation, test") == true)
    #expect(try ClassificationDataset(store: store, labeler: labeler, requiredSplits: [.test]).test.count > 0)
  }

  @Test func syntheticLabelsComeFromTheStore() throws {
    let dataset = try Self.dataset()
    #expect(dataset.classes == SyntheticFindings.labelSet)
    #expect(dataset.train.count + dataset.validation.count + dataset.test.count == 160)
    #expect(dataset.train.count > dataset.test.count && dataset.test.count > dataset.validation.count)
    // Exactly one rhythm label (SB, NSR or STach) per record.
    for row in dataset.train.labels { #expect(row[0...2].filter { $0 }.count == 1) }
    let metadata = try Self.store.metadata(at: dataset.test.windows[0])
    #expect(dataset.test.labels[0] == SyntheticFindings.labelSet.map { metadata.labels[$0] != nil })
  }

  @Test func aLabelSetOfAnotherSourceIsRejected() throws {
    let labels = SharedFixtures.dataDirectory.appendingPathComponent("labels")
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationDataset(store: Self.store, labeler: try RecordLabeler(.ptbxlSuper, labelsDirectory: labels))
    }
    #expect(error?.message.contains("--labels ptbxl_super needs a store preprocessed from ptb_xl records") == true)
    #expect(error?.message.contains("synthetic") == true)
  }

  @Test func aStoreWithNaNSamplesIsRefusedNamingTheRecord() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("classification-nan-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: url) }
    try SyntheticDataset.write(count: 12, seed: 7, to: url, threads: 1)
    // Window 3, lead 1, sample 5 becomes NaN (float32, lead-major windows of 12 × 2500).
    let shard = try FileHandle(forUpdating: url.appendingPathComponent("shards/00000.f32"))
    let sample: Int = 3 * 12 * 2500 + 2500 + 5
    try shard.seek(toOffset: UInt64(sample * 4))
    try shard.write(contentsOf: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Data($0) })
    try shard.close()
    let store = try DatasetStore(url: url)
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationDataset(store: store, labeler: try RecordLabeler(.synthetic, labelsDirectory: nil))
    }
    let record = try store.metadata(at: 3).recordID
    #expect(error?.message.contains("1 of the 12 records") == true)
    #expect(
      error?.message.contains("hold NaN or infinite samples (first: \(record), window 3, lead 1, sample 5)") == true)
  }

  @Test func windowsAreFittedPaddedAndNormalised() {
    let window: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]  // 2 leads × 4
    let padded = WindowPreparation(length: 6, normalization: .instanceMinMax).prepare(window, leads: 2, storedLength: 4)
    #expect(padded.count == 12)
    #expect(padded[4] == 0 && padded[5] == 0)  // zeros enter min/max (MERL's padded arrays)
    #expect(Swift.abs(padded[8] - 7 / 8) < 1e-5)
    let merl = WindowPreparation(length: 4, normalization: .instanceMinMax, merlKeptSamples: 2)
      .prepare(window, leads: 2, storedLength: 4)
    #expect(merl[2] == 0 && merl[3] == 0 && merl[6] == 0 && merl[7] == 0 && Swift.abs(merl[5] - 1) < 1e-5)
  }

  /// The rate-carrying encoder's probe separates the rhythm classes far above chance and above its random
  /// initialisation (constant features: chance); every row carries the seed aggregate and MERL's protocol column.
  /// The probe's head initialisation and batch order come from libtorch's process-wide generator, from which other
  /// suites draw concurrently, so it runs in a child process of its own (which exits 1 with the failed check on
  /// standard error; `checkTheProbeLearnsTheRhythm` runs in-process too, e.g. from a debugger).
  @Test func aLinearProbeLearnsTheRhythmWellAboveTheRandomInitRow() async {
    await #expect(processExitsWith: .success) {
      do {
        try ClassificationProbeTests.checkTheProbeLearnsTheRhythm()
      } catch {
        ClassificationProbeTests.fail("\(error)")
      }
    }
  }

  static func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("probe check failed: \(message)\n".utf8))
    exit(1)
  }

  static func checkTheProbeLearnsTheRhythm() throws {
    func check(_ condition: Bool, _ message: @autoclosure () -> String) { if !condition { fail(message()) } }
    let dataset = try Self.dataset()
    var settings = ClassificationSettings(protocolKind: .linear, labelFractions: [1], seeds: [0, 1])
    settings.probe.epochs = 30
    settings.probe.decayEpoch = 25
    settings.probe.learningRate = 0.05
    let results = try ClassificationEvaluation.run(
      dataset: dataset, store: Self.store,
      preparation: WindowPreparation(length: 2500, normalization: .instanceMinMax), settings: settings,
      dataName: "synthetic", pretrained: { CrossingCounter(threshold: Tensor.full([12], 0.5)) },
      randomInitialisation: { _ in CrossingCounter(threshold: Tensor.rand([12]) + 1) })
    check(results.rows.map(\.encoder) == ["pretrained", "random init (frozen)"], "rows \(results.rows.map(\.encoder))")
    let pretrained = results.rows[0]
    let random = results.rows[1]
    check(pretrained.runs.count == 2 && pretrained.aggregate["auroc_macro"]?.values.count == 2, "two seeds")
    // Rate counts separate the rate extremes SB (< 60 bpm) and STach (> 100 bpm) linearly; NSR, the middle band,
    // is not linear in them.
    let perClass = pretrained.runs[0].test.aurocPerClass
    check(perClass[0] > 0.85 && perClass[2] > 0.85, "SB, NSR, STach AUROC \(perClass[0...2])")
    check(random.aggregate["auroc_macro"]!.mean == 0.5, "constant features score 0.5")
    check(
      pretrained.aggregate["auroc_macro"]!.mean > random.aggregate["auroc_macro"]!.mean + 0.1,
      "pretrained \(pretrained.aggregate["auroc_macro"]!.mean), random \(random.aggregate["auroc_macro"]!.mean)")
    check(pretrained.runs[0].testROC.count == 7, "ROC curves \(pretrained.runs[0].testROC.count)")
    check(pretrained.trainRecords == dataset.train.count, "train records")
  }

  /// ⌊r·n⌋ = 0 (r = 0.01 of fewer than 100 training records, say) is refused before any feature is extracted,
  /// with the fractions that would work; the encoders are never built.
  @Test func aLabelFractionThatKeepsNoRecordIsRefusedUpFront() throws {
    let dataset = try Self.dataset()
    let n = dataset.train.count
    let tooSmall = 0.5 / Double(n)
    let settings = ClassificationSettings(protocolKind: .linear, labelFractions: [tooSmall, 0.1, 1], seeds: [0])
    let error = #expect(throws: ClassificationError.self) {
      _ = try ClassificationEvaluation.run(
        dataset: dataset, store: Self.store,
        preparation: WindowPreparation(length: 250, normalization: .instanceMinMax), settings: settings,
        dataName: "synthetic", pretrained: { throw ClassificationError("built an encoder") },
        randomInitialisation: { _ in throw ClassificationError("built an encoder") })
    }
    #expect(error?.message.contains("--label_fraction \(tooSmall) keeps no record of the \(n)") == true, "\(error!)")
    #expect(error?.message.contains("e.g. --label_fraction 0.1,1, or") == true, "\(error!)")
    #expect(LabelFraction.keptCount(count: n, fraction: 0.1) == LabelFraction.subset(count: n, fraction: 0.1).count)
  }

  @Test func fineTuningRunsAndSelectsByValidation() throws {
    let dataset = try Self.dataset()
    var settings = ClassificationSettings(protocolKind: .finetune, labelFractions: [0.5], seeds: [3])
    settings.fineTuning.epochs = 2
    settings.fineTuning.warmupEpochs = 1
    settings.fineTuning.batchSize = 32
    var config = NEPAConfig()
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen) = (16, 2, 32, 1, 250)
    let results = try ClassificationEvaluation.run(
      dataset: dataset, store: Self.store,
      preparation: WindowPreparation(length: 250, normalization: .instanceMinMax), settings: settings,
      dataName: "synthetic", pretrained: { try NEPA(config) }, randomInitialisation: { _ in try NEPA(config) })
    #expect(results.rows.map(\.encoder) == ["pretrained", "scratch"])
    for row in results.rows {
      #expect(row.trainRecords == dataset.train.count / 2)
      let run = row.runs[0]
      #expect(run.validationAUROCByEpoch.count == 2)
      #expect(run.bestEpoch == run.validationAUROCByEpoch.firstIndex(of: run.validationAUROC))
      #expect(run.test.aurocMacro.isFinite)
    }
  }

  @Test func fineTuningScheduleWarmsUpThenDecaysToZero() {
    let configuration = FineTuningConfiguration()
    #expect(configuration.learningRate == 6.25e-5)
    #expect(configuration.learningRate(atEpoch: 0) == 0)
    #expect(Swift.abs(configuration.learningRate(atEpoch: 1.5) - 6.25e-5 / 2) < 1e-12)
    #expect(configuration.learningRate(atEpoch: 3) == 6.25e-5)
    #expect(Swift.abs(configuration.learningRate(atEpoch: 10)) < 1e-12)
  }

  @Test func f1MaxAndROCFollowScikitLearn() {
    let scores = Tensor([0.1, 0.4, 0.35, 0.8] as [Float], shape: [4, 1])
    let labels = Tensor([0, 0, 1, 1] as [Float], shape: [4, 1])
    // Thresholds 0.8 (P 1, R .5 → F1 2/3), 0.4 (P .5, R .5), 0.35 (P 2/3, R 1 → F1 0.8), 0.1 (P .5, R 1).
    #expect(Swift.abs(f1MaxMacro(scores: scores, labels: labels) - 0.8) < 1e-12)
    let roc = ROCCurve.perClass(scores: scores, labels: labels)[0]
    #expect(roc.falsePositiveRates == [0, 0, 0.5, 0.5, 1])
    #expect(roc.truePositiveRates == [0, 0.5, 0.5, 1, 1])
  }
}
