import ECGCore
import Foundation
import Torch

/// Produces training batches: windows from a source, augmented, written by the task straight into the
/// typed batch's tensors (`TrainingBatch`: a `ModelInput` plus ids and reports).
///
/// Background workers build whole batches ahead of the training thread (batch b by worker b mod W) into a
/// bounded buffer, so the trainer never waits while the workers keep up. The result is deterministic given
/// the seed, whatever the worker count: each item's random draws come from its own stream
/// (seed, epoch, index). A window that fails to load or convert is reported with its id, skipped and counted.
public final class BatchLoader: Sendable {
  public let source: DatasetMixture
  public let task: PretrainTask
  public let augmentation: Augmentation?
  public let batchSize: Int
  public let sampler: DistributedSampler
  public let workers: Int
  /// Batches each worker may run ahead.
  public let prefetch: Int
  public let seed: UInt64
  private let failures: FailureLog

  public init(
    source: DatasetMixture, task: PretrainTask, augmentation: Augmentation? = nil, batchSize: Int, worldSize: Int = 1,
    rank: Int = 0,
    shuffle: Bool = true, dropLast: Bool = false, workers: Int = 0, prefetch: Int = 4, seed: UInt64 = 0,
    onSkip: @escaping @Sendable (SampleError) -> Void = BatchLoader.logToStandardError
  ) {
    failures = FailureLog(onRecord: onSkip)
    precondition(
      batchSize > 0 && workers >= 0 && prefetch > 0, "batch size and prefetch must be positive, workers non-negative")
    self.source = source
    self.task = task
    self.augmentation = augmentation
    self.batchSize = batchSize
    sampler = DistributedSampler(
      count: source.epochLength, worldSize: worldSize, rank: rank, seed: seed, shuffle: shuffle, dropLast: dropLast)
    self.workers = workers
    self.prefetch = prefetch
    self.seed = seed
    // Workers allocate and free window-sized buffers per sample; keeping freed memory in the process avoids
    // page faults that otherwise cost more than the work (see AllocatorTuning).
    AllocatorTuning.keepFreedMemory()
    // Batches are allocated in the workers and freed in the training thread (see shareOneArena).
    if workers > 0 { AllocatorTuning.shareOneArena() }
  }

  /// Batches per epoch for this rank (the last may be short).
  public var batchesPerEpoch: Int { (sampler.samplesPerRank + batchSize - 1) / batchSize }

  /// Windows skipped so far, with their ids and reasons.
  public var skipped: [SampleError] { failures.all }

  /// The window indices of each batch of `epoch`, in order.
  public func plan(epoch: Int) -> [[Int]] {
    let order = source.epochIndices(epoch)
    let positions = sampler.indices(epoch: epoch)
    return stride(from: 0, to: positions.count, by: batchSize).map { start in
      positions[start..<Swift.min(start + batchSize, positions.count)].map { order[$0] }
    }
  }

  /// The batches of `epoch`, built in the background when `workers > 0`: `batchesPerEpoch` of them unless no
  /// window of the epoch loads at all.
  ///
  /// A window that fails is skipped (its batch is one smaller) and reported once; later epochs skip it without
  /// reading it again. A batch whose windows all fail becomes a batch of the next window of the epoch that loads,
  /// so the number of batches stays fixed: the trainer's schedule, its resume position and the ranks' step counts
  /// depend on it.
  public func batches(epoch: Int) -> AnySequence<TrainingBatch> {
    let plan = plan(epoch: epoch)
    let order = plan.flatMap { $0 }
    let build: @Sendable (Int) -> TrainingBatch? = { b in
      // Every batch but the last is full, so the windows after batch b start at (b + 1) · batchSize.
      self.build(plan[b], epoch: epoch) ?? self.substitute(from: (b + 1) * self.batchSize, in: order, epoch: epoch)
    }
    if workers == 0 {
      return AnySequence((0..<plan.count).lazy.compactMap(build))
    }
    let pipeline = PrefetchPipeline(count: plan.count, workers: workers, depth: prefetch, build: build)
    return AnySequence { pipeline.makeIterator() }
  }

  /// A batch of one window: the first that loads from position `start` of this rank's `order` of the epoch on
  /// (wrapping around); nil when none does.
  private func substitute(from start: Int, in order: [Int], epoch: Int) -> TrainingBatch? {
    guard !failures.isExhausted(epoch: epoch) else { return nil }
    for k in 0..<order.count {
      let index = order[(start + k) % order.count]
      if !failures.isKnownBad(index), let batch = build([index], epoch: epoch) { return batch }
    }
    failures.markExhausted(epoch: epoch)  // every window of the epoch failed: later batches need not search
    return nil
  }

  /// One batch from window indices; nil when every window failed. Windows are read in place (a store's
  /// mapped memory) and written into the batch's tensors: one tensor per batch key, no per-item copies.
  func build(_ indices: [Int], epoch: Int) -> TrainingBatch? {
    var assembly = task.makeAssembly(capacity: indices.count)
    for index in indices where !failures.isKnownBad(index) {
      do {
        var random = Xoshiro256StarStar(seed: seed, stream: UInt64(epoch) << 40 | UInt64(index))
        try source.withWindow(at: index, includingReport: task.usesReports) { view in
          if let bad = SampleStatistics.firstNonFinite(view.values) {
            // Windows read without their metadata are renamed by their record for the report.
            let named =
              task.usesReports ? view.id : (try? source.window(at: index, includingReport: true).id) ?? view.id
            throw SampleError(
              id: named, reason: "non-finite sample \(view.values[bad]) in lead \(bad / Swift.max(view.length, 1))")
          }
          if let augmentation {
            try augmentation.apply(view.copied(), random: &random).withView {
              try task.add($0, random: &random, to: &assembly)
            }
          } else {
            try task.add(view, random: &random, to: &assembly)
          }
        }
      } catch let error as SampleError {
        failures.record(error, window: index)
      } catch {
        failures.record(SampleError(id: "window \(index)", reason: "\(error)"), window: index)
      }
    }
    guard let input = task.input(from: assembly) else { return nil }
    return TrainingBatch(input: input, ids: assembly.ids, reports: assembly.reports)
  }
}

extension BatchLoader {
  /// The default report of a skipped window: one line on standard error with its id and reason (the total is
  /// `skipped.count`).
  public static let logToStandardError: @Sendable (SampleError) -> Void = { error in
    FileHandle.standardError.write(Data("skipped window \(error.id): \(error.reason)\n".utf8))
  }
}

/// Thread-safe list of skipped windows, each recorded and passed to `onRecord` once.
final class FailureLog: @unchecked Sendable {
  // Every stored property but `onRecord` is guarded by `lock`.
  private let lock = NSLock()
  private var failures: [SampleError] = []
  private var badWindows: Set<Int> = []
  private var exhaustedEpochs: Set<Int> = []
  private let onRecord: @Sendable (SampleError) -> Void

  init(onRecord: @escaping @Sendable (SampleError) -> Void) {
    self.onRecord = onRecord
  }

  func record(_ error: SampleError, window: Int) {
    let isNew = lock.withLock {
      guard badWindows.insert(window).inserted else { return false }
      failures.append(error)
      return true
    }
    if isNew { onRecord(error) }
  }

  func isKnownBad(_ window: Int) -> Bool { lock.withLock { badWindows.contains(window) } }

  func markExhausted(epoch: Int) { lock.withLock { _ = exhaustedEpochs.insert(epoch) } }

  /// Whether every window of `epoch` (for this rank) is known to fail.
  func isExhausted(epoch: Int) -> Bool { lock.withLock { exhaustedEpochs.contains(epoch) } }

  var all: [SampleError] { lock.withLock { failures } }
}
