import Foundation
import Torch

/// Produces training batches: windows from a source, augmented, turned into items by the task, collated.
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

  /// The batches of `epoch`, built in the background when `workers > 0`.
  public func batches(epoch: Int) -> AnySequence<Batch> {
    let plan = plan(epoch: epoch)
    if workers == 0 {
      return AnySequence(plan.lazy.compactMap { self.build($0, epoch: epoch) })
    }
    let pipeline = PrefetchPipeline(count: plan.count, workers: workers, depth: prefetch) { b in
      self.build(plan[b], epoch: epoch)
    }
    return AnySequence { pipeline.makeIterator() }
  }

  /// One batch from window indices; nil when every window failed.
  func build(_ indices: [Int], epoch: Int) -> Batch? {
    var items: [TrainingItem] = []
    for index in indices {
      do {
        var random = Xoshiro256StarStar(seed: seed, stream: UInt64(epoch) << 40 | UInt64(index))
        var window = try source.window(at: index, includingReport: task.usesReports)
        if let problem = Self.nonFiniteSample(in: window) {
          // Windows read without their metadata are renamed by their record for the report.
          let named = task.usesReports ? window : (try? source.window(at: index, includingReport: true)) ?? window
          throw SampleError(id: named.id, reason: problem)
        }
        if let augmentation { window = augmentation.apply(window, random: &random) }
        items.append(try task.item(for: window, random: &random))
      } catch let error as SampleError {
        failures.record(error)
      } catch {
        failures.record(SampleError(id: "window \(index)", reason: "\(error)"))
      }
    }
    guard !items.isEmpty else { return nil }
    do {
      return try Batch(collating: items)
    } catch {
      failures.record(SampleError(id: "batch of \(indices.count)", reason: "\(error)"))
      return nil
    }
  }

  private static func nonFiniteSample(in window: ECGWindow) -> String? {
    guard let bad = window.values.firstIndex(where: { !$0.isFinite }) else { return nil }
    return "non-finite sample \(window.values[bad]) in lead \(bad / max(window.length, 1))"
  }
}

extension BatchLoader {
  /// The default report of a skipped window: one line on standard error with its id and reason (the total is
  /// `skipped.count`).
  public static let logToStandardError: @Sendable (SampleError) -> Void = { error in
    FileHandle.standardError.write(Data("skipped window \(error.id): \(error.reason)\n".utf8))
  }
}

/// Thread-safe list of skipped windows; each is also passed to `onRecord` as it happens.
final class FailureLog: @unchecked Sendable {
  // `failures` is guarded by `lock`.
  private let lock = NSLock()
  private var failures: [SampleError] = []
  private let onRecord: @Sendable (SampleError) -> Void

  init(onRecord: @escaping @Sendable (SampleError) -> Void) {
    self.onRecord = onRecord
  }

  func record(_ error: SampleError) {
    lock.withLock { failures.append(error) }
    onRecord(error)
  }

  var all: [SampleError] { lock.withLock { failures } }
}
