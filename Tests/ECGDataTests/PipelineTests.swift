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

  @Test func batchKeysPerNetworkAndObjective() throws {
    var random = Xoshiro256StarStar(seed: 1)
    #expect(Set(try task(.mlae, .mae).item(for: window, random: &random).fields.keys) == ["series"])
    #expect(Set(try task(.nepa, .autoregressive).item(for: window, random: &random).fields.keys) == ["signal"])
    #expect(Set(try task(.dit, .rectifiedFlow).item(for: window, random: &random).fields.keys) == ["signal"])
    #expect(throws: SampleError.self) { try task(.merl, .merl).item(for: window, random: &random) }
    var conditioned = task(.dit, .ddpm)
    conditioned.representation = .signal(SignalRepresentation(segmentLength: 10, conditionLead: 0))
    conditioned.includeGroundTruth = true
    let item = try conditioned.item(for: window, random: &random)
    #expect(item.fields["signal"]!.shape == [7, 10])
    #expect(item.fields["condition"]!.shape == [10])
    #expect(item.fields["12_lead_gt"]!.shape == [12, 10])
  }

  @Test func maeHidesThreeQuartersOfTheLeadsPerSample() throws {
    var random = Xoshiro256StarStar(seed: 9)
    var masks: Set<[Float]> = []
    for _ in 0..<20 {
      let item = try task(.maeViT, .mae).item(for: window, random: &random)
      guard case .floats(let mask, let shape) = item.fields["visible_mask"]! else { return }
      #expect(shape == [12])
      #expect(mask.filter { $0 == 0 }.count == 9)
      masks.insert(mask)
      #expect(item.fields["patches"] == item.fields["targets"])
    }
    #expect(masks.count > 10)
  }

  @Test func symbolicSequenceLayoutAndLabels() throws {
    let tokenizer = try ECGByteTokenizer(merges: [.init(id: 256, spelling: Array("aa".utf8))])
    let special = tokenizer.specialTokens
    let representation = SymbolicRepresentation(tokenizer: tokenizer, length: 8)
    var random = Xoshiro256StarStar(seed: 1)
    let constant = ECGWindow(id: "c", values: [Float](repeating: 1, count: 6), leads: 1, length: 6)
    let item = try PretrainTask(
      network: .decoder, objective: .autoregressive, representation: .symbolic(representation)
    )
    .item(for: constant, random: &random)
    // A constant window symbolises to "aaaaaa" → three "aa" tokens; left-padded to 8.
    let pad = Int64(special.pad)
    #expect(
      item.fields["tgt_ids"]
        == .ints([pad, pad, pad, Int64(special.bos), 256, 256, 256, Int64(special.eos)], shape: [8]))
    #expect(item.fields["labels"] == .ints([-100, -100, -100, -100, 256, 256, 256, Int64(special.eos)], shape: [8]))
    let short = SymbolicRepresentation(tokenizer: tokenizer, length: 4).apply(constant)
    #expect(short.sequence == [special.bos, 256, 256, special.eos])
    let truncated = SymbolicRepresentation(tokenizer: tokenizer, length: 3).apply(constant)
    #expect(truncated.sequence == [special.bos, 256, special.eos])
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

  func fingerprint(_ batches: AnySequence<Batch>) -> [[String]] {
    batches.map { batch in
      batch.ids + [batch["patches"]!.sum().item().description, batch["visible_mask"]!.sum(dim: 1).description]
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
    #expect(batch["patches"]!.shape == [4, 12, 20])
    #expect(batch["visible_mask"]!.shape == [4, 12])
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

  @Test func evaluationItemCarriesRangeAndLength() throws {
    let tokenizer = try ECGByteTokenizer(merges: [.init(id: 256, spelling: Array("aa".utf8))])
    let window = ECGWindow(id: "x", values: [0, 1, 2, 3, 4, 5, 6, 7], leads: 1, length: 8)
    let item = ForecastingTask(ratio: 0.3, specialTokens: tokenizer.specialTokens)
      .evaluationItem(for: window, representation: SymbolicRepresentation(tokenizer: tokenizer))
    #expect(item.fields["min"] == .double(0))
    #expect(item.fields["max"] == .double(7))
    guard case .ints(let context, _) = item.fields["tgt_ids"]!, case .ints(let target, _) = item.fields["labels"]!,
      case .ints(let length, _) = item.fields["orig_len"]!
    else { return }
    #expect(context.count + target.count == Int(length[0]))
    #expect(context.first == Int64(tokenizer.specialTokens.bos) && target.last == Int64(tokenizer.specialTokens.eos))
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
