import ECGCore
import ECGTokenizer
import Foundation
import Testing
import Torch

@testable import ECGData

/// Windows made from their index, so tests can tell them apart; `failing` indices throw.
struct IndexedWindows: ECGWindowSource {
  var count: Int
  var leads = 12
  var length = 20
  var failing: Set<Int> = []

  func window(at index: Int) throws -> ECGWindow {
    if failing.contains(index) { throw SampleError(id: "w\(index)", reason: "corrupt record") }
    return clean(index)
  }

  func clean(_ index: Int) -> ECGWindow {
    let values = (0..<(leads * length)).map { Float(index) + Float($0 % length) / Float(length) + Float($0 / length) }
    return ECGWindow(id: "w\(index)", values: values, leads: leads, length: length, report: "report \(index)")
  }
}

@Suite struct NormalizationTests {
  let values: [Float] = [1, 2, 3, 4, 10, 20, 30, 40]

  @Test func instanceMinMax() {
    let out = SignalNormalization.instanceMinMax.apply(values, leads: 2)
    expectClose(out, values.map { (Double($0) - 1) / (39 + 1e-6) })
  }

  @Test func instanceZScore() {
    let mean = 13.75
    let std = (values.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / 8).squareRoot()
    expectClose(
      SignalNormalization.instanceZScore.apply(values, leads: 2), values.map { (Double($0) - mean) / (std + 1e-6) })
  }

  @Test func leadMinMaxAndZScore() {
    let first: [Double] = [0, 1, 2, 3].map { $0 / (3 + 1e-6) }
    let second: [Double] = [0, 10, 20, 30].map { $0 / (30 + 1e-6) }
    expectClose(SignalNormalization.leadMinMax.apply(values, leads: 2), first + second)
    let z = SignalNormalization.leadZScore.apply(values, leads: 2)
    let std1 = 1.25.squareRoot()
    expectClose(Array(z[0..<4]), [-1.5, -0.5, 0.5, 1.5].map { $0 / (std1 + 1e-6) })
    expectClose(Array(z[4..<8]), [-15, -5, 5, 15].map { $0 / (125.0.squareRoot() + 1e-6) })
  }

  @Test func paddingMaskAndLeadCondition() {
    let window = IndexedWindows(count: 1, length: 6).clean(0)
    let padded = SignalRepresentation(segmentLength: 8).apply(window)
    #expect(padded.rows == 12)
    #expect(padded.paddingMask == [false, false, false, false, false, false, true, true])
    #expect(padded.signal[6] == 0 && padded.signal[7] == 0)
    let conditioned = SignalRepresentation(segmentLength: 6, conditionLead: 1).apply(window)
    #expect(conditioned.rows == 7)
    #expect(conditioned.condition! == Array(padded.signal[8..<14]))
    // Row 1 of the result is V1 (lead 6), since lead II became the condition.
    #expect(Array(conditioned.signal[6..<12]) == Array(padded.signal[(6 * 8)..<(6 * 8 + 6)]))
  }
}

@Suite struct SamplerTests {
  /// DistributedSampler's documented algorithm, written out independently: randperm from a generator
  /// seeded seed + epoch, padded by repeating the head, rank r takes r, r + world, ….
  func reference(count: Int, world: Int, rank: Int, seed: UInt64, epoch: Int) -> [Int] {
    var indices = Tensor.randperm(count, seed: seed + UInt64(epoch)).ints()
    let perRank = Int((Double(count) / Double(world)).rounded(.up))
    let total = perRank * world
    let padding = total - indices.count
    if padding <= indices.count {
      indices += indices[0..<padding]
    } else {
      indices += Array(
        Array(repeating: indices, count: (padding + indices.count - 1) / indices.count).joined().prefix(padding))
    }
    return Array(indices[rank...].enumerated().filter { $0.offset % world == 0 }.map(\.element))
  }

  @Test(arguments: [(10, 3, 0, 0, 0), (10, 3, 2, 7, 1), (7, 4, 3, 42, 5), (2, 5, 4, 1, 0), (16, 2, 1, 3, 2)])
  func shardsMatchDistributedSampler(count: Int, world: Int, rank: Int, seed: Int, epoch: Int) {
    let sampler = DistributedSampler(count: count, worldSize: world, rank: rank, seed: UInt64(seed))
    #expect(
      sampler.indices(epoch: epoch)
        == reference(count: count, world: world, rank: rank, seed: UInt64(seed), epoch: epoch))
  }

  @Test func ranksCoverEverythingAndEpochsDiffer() {
    let shards = (0..<3).map { DistributedSampler(count: 10, worldSize: 3, rank: $0, seed: 5).indices(epoch: 0) }
    #expect(Set(shards.joined()) == Set(0..<10))
    #expect(shards.allSatisfy { $0.count == 4 })
    let sampler = DistributedSampler(count: 50, seed: 5)
    #expect(sampler.indices(epoch: 0) != sampler.indices(epoch: 1))
    #expect(DistributedSampler(count: 5, shuffle: false).indices(epoch: 3) == [0, 1, 2, 3, 4])
    #expect(DistributedSampler(count: 10, worldSize: 3, rank: 0, dropLast: true).indices(epoch: 0).count == 3)
  }

  @Test func seededRandpermMatchesPyTorch() {
    // torch.randperm(10, generator=torch.Generator().manual_seed(0))
    #expect(Tensor.randperm(10, seed: 0).ints() == [4, 1, 7, 5, 3, 9, 0, 8, 6, 2])
  }
}

@Suite struct MixtureTests {
  @Test func concatenationSubsetAndProbabilities() throws {
    let mixture = try DatasetMixture([IndexedWindows(count: 3), IndexedWindows(count: 5)])
    #expect(mixture.count == 8)
    #expect(try mixture.window(at: 4).id == "w1")
    #expect(mixture.epochIndices(0) == Array(0..<8))
    let subset = try DatasetMixture([IndexedWindows(count: 100)], subset: 0.1, seed: 3)
    #expect(subset.epochIndices(0).count == 10)
    #expect(subset.epochIndices(0) == subset.epochIndices(1))
    let weighted = try DatasetMixture(
      [IndexedWindows(count: 100), IndexedWindows(count: 100)], probabilities: [0.9, 0.1], seed: 1)
    let drawn = weighted.epochIndices(0)
    #expect(drawn.count == 200)
    let fromFirst = drawn.filter { $0 < 100 }.count
    #expect((160...198).contains(fromFirst))
    #expect(drawn == weighted.epochIndices(0) && drawn != weighted.epochIndices(1))
    #expect(throws: SampleError.self) { try DatasetMixture([IndexedWindows(count: 1)], probabilities: [0.5, 0.5]) }
    #expect(throws: SampleError.self) { try DatasetMixture([IndexedWindows(count: 1)], subset: 1.5) }
  }
}

@Suite struct TaskTests {
  let window = IndexedWindows(count: 1, length: 10).clean(0)

  func task(_ network: NetworkKind, _ objective: ObjectiveKind) -> PretrainTask {
    PretrainTask(
      network: network, objective: objective, representation: .signal(SignalRepresentation(segmentLength: 10)))
  }

  func signal(_ input: ModelInput) -> SignalBatch? {
    if case .signal(let batch) = input { batch } else { nil }
  }

  @Test func typedInputPerNetworkAndObjective() throws {
    var random = Xoshiro256StarStar(seed: 1)
    let expected = SignalRepresentation(segmentLength: 10).apply(window)
    // MLAE's `series`, NEPA's `signal` and unconditional diffusion's `signal` are all the 12-lead window.
    for (network, objective) in [
      (NetworkKind.mlae, ObjectiveKind.mae), (.nepa, .autoregressive), (.dit, .rectifiedFlow),
    ] {
      let batch = try #require(signal(try task(network, objective).batch(for: [window, window], random: &random)))
      #expect(batch.signal.shape == [2, 12, 10], "\(network) \(objective)")
      #expect(Array(batch.signal.floats().prefix(120)) == expected.signal)
      #expect(batch.condition == nil && batch.groundTruth12Lead == nil && batch.paddingMask == nil)
    }
    #expect(throws: SampleError.self) { try task(.merl, .merl).batch(for: [window], random: &random) }
    var conditioned = task(.dit, .ddpm)
    conditioned.representation = .signal(SignalRepresentation(segmentLength: 10, conditionLead: 0))
    conditioned.includeGroundTruth = true
    let batch = try #require(signal(try conditioned.batch(for: [window], random: &random)))
    #expect(batch.signal.shape == [1, 7, 10])
    guard case .lead(let lead) = batch.condition else {
      Issue.record("no lead condition")
      return
    }
    #expect(lead.shape == [1, 10] && lead.floats() == Array(expected.signal[0..<10]))
    #expect(batch.groundTruth12Lead?.floats() == expected.twelveLead)
  }

  @Test func textConditionStacksTheTokenisedReports() throws {
    var random = Xoshiro256StarStar(seed: 1)
    var merl = task(.merl, .merl)
    merl.textTokenizer = LengthTokenizer()
    merl.textLength = 4
    let windows = [0, 1, 2].map { IndexedWindows(count: 3, length: 10).clean($0) }
    let batch = try #require(signal(try merl.batch(for: windows, random: &random)))
    guard case .text(let text) = batch.condition else {
      Issue.record("no text condition")
      return
    }
    #expect(text.inputIDs.shape == [3, 4] && text.attentionMask.shape == [3, 4])
    // "report 0", "report 1", … are eight characters each.
    #expect(text.inputIDs.ints() == [8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8])
  }

  @Test func maeHidesThreeQuartersOfTheLeadsPerSample() throws {
    var random = Xoshiro256StarStar(seed: 9)
    let windows = Array(repeating: window, count: 20)
    guard case .patches(let batch) = try task(.maeViT, .mae).batch(for: windows, random: &random) else {
      Issue.record("MAE-ViT did not get patches")
      return
    }
    #expect(batch.patches.shape == [20, 12, 10] && batch.targets == nil)
    #expect(batch.visibleMask.shape == [20, 12])
    let masks = Set((0..<20).map { batch.visibleMask[$0].floats() })
    #expect(masks.allSatisfy { $0.filter { $0 == 0 }.count == 9 })
    #expect(masks.count > 10)
  }

  @Test func symbolicSequenceLayoutAndLabels() throws {
    let tokenizer = try ECGByteTokenizer(merges: [.init(id: 256, spelling: Array("aa".utf8))])
    let special = tokenizer.specialTokens
    let representation = SymbolicRepresentation(tokenizer: tokenizer, length: 8)
    var random = Xoshiro256StarStar(seed: 1)
    let constant = ECGWindow(id: "c", values: [Float](repeating: 1, count: 6), leads: 1, length: 6)
    let input = try PretrainTask(
      network: .decoder, objective: .autoregressive, representation: .symbolic(representation)
    )
    .batch(for: [constant], random: &random)
    guard case .tokens(let batch) = input else {
      Issue.record("the decoder did not get tokens")
      return
    }
    // A constant window symbolises to "aaaaaa" → three "aa" tokens; left-padded to 8.
    let (pad, bos, eos) = (Int(special.pad), Int(special.bos), Int(special.eos))
    #expect(batch.tgtIDs.shape == [1, 8])
    #expect(batch.tgtIDs.ints() == [pad, pad, pad, bos, 256, 256, 256, eos])
    #expect(batch.labels?.ints() == [-100, -100, -100, -100, 256, 256, 256, eos])
    #expect(batch.signal == nil)
    let short = SymbolicRepresentation(tokenizer: tokenizer, length: 4).apply(constant)
    #expect(short.sequence == [special.bos, 256, 256, special.eos])
    let truncated = SymbolicRepresentation(tokenizer: tokenizer, length: 3).apply(constant)
    #expect(truncated.sequence == [special.bos, 256, special.eos])
  }

  @Test func itemsOfOtherShapesCannotShareABatch() throws {
    var random = Xoshiro256StarStar(seed: 1)
    let tokenizer = try ECGByteTokenizer(merges: [])
    var evaluation = SymbolicRepresentation(tokenizer: tokenizer)
    evaluation.training = false
    let task = PretrainTask(network: .decoder, objective: .autoregressive, representation: .symbolic(evaluation))
    let short = ECGWindow(id: "short", values: [0, 1, 2], leads: 1, length: 3)
    let long = ECGWindow(id: "long", values: [0, 1, 2, 3], leads: 1, length: 4)
    do {
      _ = try task.batch(for: [short, long], random: &random)
      Issue.record("sequences of 5 and 6 ids were stacked")
    } catch let error as SampleError {
      #expect(error.id == "long" && error.reason.contains("tgt_ids"))
    }
  }
}

/// Tokenises a report as its character count in every position (enough to see the rows line up).
struct LengthTokenizer: TextTokenizing {
  func encode(_ text: String, maxLength: Int) -> TextTokens {
    let ids = [Int64](repeating: Int64(text.count), count: maxLength)
    return TextTokens(inputIDs: ids, attentionMask: ids.map { _ in 1 }, tokenTypeIDs: ids.map { _ in 0 })
  }
}

@Suite struct LoaderTests {
  func loader(_ source: IndexedWindows, workers: Int, augment: Bool = false, seed: UInt64 = 4) throws -> BatchLoader {
    let task = PretrainTask(
      network: .maeViT, objective: .mae, representation: .signal(SignalRepresentation(segmentLength: 20)))
    return BatchLoader(
      source: try DatasetMixture([source]), task: task, augmentation: augment ? Augmentation() : nil, batchSize: 4,
      workers: workers, prefetch: 2, seed: seed)
  }

  func patches(_ batch: TrainingBatch) -> PatchBatch {
    guard case .patches(let patches) = batch.input else { preconditionFailure("MAE batches hold patches") }
    return patches
  }

  func fingerprint(_ batches: AnySequence<TrainingBatch>) -> [[String]] {
    batches.map { batch in
      let input = patches(batch)
      return batch.ids + [input.patches.sum().item().description, input.visibleMask.sum(dim: 1).description]
    }
  }

  @Test func deterministicWhateverTheWorkerCount() throws {
    let source = IndexedWindows(count: 22)
    let serial = fingerprint(try loader(source, workers: 0, augment: true).batches(epoch: 1))
    #expect(serial.count == 6)
    #expect(fingerprint(try loader(source, workers: 1, augment: true).batches(epoch: 1)) == serial)
    #expect(fingerprint(try loader(source, workers: 3, augment: true).batches(epoch: 1)) == serial)
    #expect(fingerprint(try loader(source, workers: 2, augment: true).batches(epoch: 2)) != serial)
  }

  @Test func batchesHaveTheModelsShapes() throws {
    let batch = try loader(IndexedWindows(count: 9), workers: 2).batches(epoch: 0).first { _ in true }!
    #expect(patches(batch).patches.shape == [4, 12, 20])
    #expect(patches(batch).visibleMask.shape == [4, 12])
    #expect(batch.reports.count == 4)
  }

  @Test func corruptWindowsAreSkippedAndCounted() throws {
    var source = IndexedWindows(count: 12)
    source.failing = [3, 7]
    let reported = ReportedSkips()
    let task = PretrainTask(
      network: .maeViT, objective: .mae, representation: .signal(SignalRepresentation(segmentLength: 20)))
    let loader = BatchLoader(
      source: try DatasetMixture([source]), task: task, batchSize: 4, workers: 2, seed: 4,
      onSkip: { reported.add($0.id) })
    let seen = loader.batches(epoch: 0).flatMap(\.ids)
    #expect(reported.ids.sorted() == ["w3", "w7"])
    #expect(seen.count == 10)
    #expect(!seen.contains("w3") && !seen.contains("w7"))
    #expect(Set(loader.skipped.map(\.id)) == ["w3", "w7"])
    #expect(loader.skipped.allSatisfy { $0.reason.contains("corrupt") })
  }

  @Test(arguments: [0, 2])
  func aBatchWhoseWindowsAllFailBecomesTheNextLoadableWindow(workers: Int) throws {
    var source = IndexedWindows(count: 12)
    source.failing = Set(0..<12).subtracting([1, 9])
    let reported = ReportedSkips()
    let task = PretrainTask(
      network: .maeViT, objective: .mae, representation: .signal(SignalRepresentation(segmentLength: 20)))
    let loader = BatchLoader(
      source: try DatasetMixture([source]), task: task, batchSize: 4, shuffle: false, workers: workers, seed: 4,
      onSkip: { reported.add($0.id) })
    // Batches [0 1 2 3] [4 5 6 7] [8 9 10 11]: the middle one has no loadable window and becomes "w9", the next
    // window that loads; the number of batches stays three (the trainer's schedule depends on it).
    for epoch in 0..<2 {
      #expect(loader.batches(epoch: epoch).map(\.ids) == [["w1"], ["w9"], ["w9"]])
    }
    // Each bad window is reported once, however often it is met.
    #expect(reported.ids.sorted() == Set(0..<12).subtracting([1, 9]).map { "w\($0)" }.sorted())
  }

  @Test func anEpochWithoutALoadableWindowEndsWithoutBatches() throws {
    var source = IndexedWindows(count: 40)
    source.failing = Set(0..<40)
    let loader = try loader(source, workers: 2)
    #expect(Array(loader.batches(epoch: 0)).isEmpty)
    #expect(loader.skipped.count == 40)
  }

  @Test func stoppingEarlyReleasesTheWorkers() throws {
    let loader = try loader(IndexedWindows(count: 400), workers: 2)
    for _ in loader.batches(epoch: 0).prefix(2) {}
    // A fresh epoch still runs to completion.
    #expect(loader.batches(epoch: 1).reduce(0) { $0 + $1.size } == 400)
  }

  @Test func augmentationIsSeededAndKeepsShape() {
    var a = Xoshiro256StarStar(seed: 1, stream: 2)
    var b = Xoshiro256StarStar(seed: 1, stream: 2)
    let window = IndexedWindows(count: 1).clean(0)
    var changed = 0
    for _ in 0..<64 {
      let x = Augmentation().apply(window, random: &a)
      let y = Augmentation().apply(window, random: &b)
      #expect(x.values == y.values)
      if x.values != window.values { changed += 1 }
    }
    #expect((4...32).contains(changed))
  }
}

func expectClose(
  _ got: [Float], _ want: [Double], tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(got.count == want.count, sourceLocation: sourceLocation)
  for (g, w) in zip(got, want) where Swift.abs(Double(g) - w) > tolerance + 1e-6 * Swift.abs(w) {
    Issue.record("\(g) != \(w)", sourceLocation: sourceLocation)
    return
  }
}

@Suite struct ForecastingTests {
  let special = ECGByteTokenizer.SpecialTokens(pad: 300, bos: 301, eos: 302)

  @Test func evaluationSplitsContextAndContinuation() {
    let task = ForecastingTask(ratio: 0.25, specialTokens: special)
    let sequence: [TokenID] = [301, 10, 11, 12, 13, 14, 15, 302]
    let (context, target) = task.split(sequence)
    #expect(context == [301, 10, 11, 12, 13, 14])
    #expect(target == [15, 302])
  }

  @Test func trainingLabelsHideTheContext() {
    let task = ForecastingTask(ratio: 0.5, specialTokens: special)
    let padded: [TokenID] = [300, 300, 301, 10, 11, 12, 13, 302]
    // Six non-pad positions: the first three (bos, 10, 11) are context.
    #expect(task.trainingLabels(padded) == [-100, -100, -100, -100, -100, 12, 13, 302])
  }

  @Test func evaluationBatchCarriesRangeAndLength() throws {
    let tokenizer = try ECGByteTokenizer(merges: [.init(id: 256, spelling: Array("aa".utf8))])
    let window = ECGWindow(id: "x", values: [0, 1, 2, 3, 4, 5, 6, 7], leads: 1, length: 8, report: "r")
    let batch = try ForecastingTask(ratio: 0.3, specialTokens: tokenizer.specialTokens)
      .evaluationBatch(for: [window], representation: SymbolicRepresentation(tokenizer: tokenizer))
    #expect(batch.ids == ["x"] && batch.reports == ["r"])
    let forecast = batch.input
    #expect(forecast.minimum.doubles() == [0] && forecast.maximum.doubles() == [7])
    #expect(forecast.minimum.dtype == .float64 && forecast.originalLength.dtype == .int64)
    let context = forecast.tokens.tgtIDs.ints()
    let target = try #require(forecast.tokens.labels).ints()
    #expect(context.count + target.count == forecast.originalLength.ints()[0])
    #expect(context.first == Int(tokenizer.specialTokens.bos) && target.last == Int(tokenizer.specialTokens.eos))
  }
}

/// Collects the ids a loader reports as skipped.
final class ReportedSkips: @unchecked Sendable {
  // `values` is guarded by `lock`.
  private let lock = NSLock()
  private var values: [String] = []
  func add(_ id: String) { lock.withLock { values.append(id) } }
  var ids: [String] { lock.withLock { values } }
}
