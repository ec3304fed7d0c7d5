import ECGCore
import ECGData
import ECGEvaluation

/// The evaluation windows of one seed as batches built on demand (the split is not held in memory). A window that
/// cannot be built ends the sequence; `failure` then holds the error, which the runner rethrows.
final class EvalBatches<Input>: Sequence {
  private let chunks: [[Int]]
  private let windows: EvaluationWindows
  private let build: ([ECGWindow]) throws -> Input
  private(set) var failure: Error?

  init(_ windows: EvaluationWindows, batchSize: Int, build: @escaping ([ECGWindow]) throws -> Input) {
    self.windows = windows
    chunks = windows.chunks(of: batchSize)
    self.build = build
  }

  func makeIterator() -> AnyIterator<Input> {
    var next = 0
    return AnyIterator { [self] in
      guard failure == nil, next < chunks.count else { return nil }
      defer { next += 1 }
      do {
        return try build(chunks[next].map { try windows.source.window(at: $0) })
      } catch {
        failure = error
        return nil
      }
    }
  }

  /// Rethrows the error that ended the sequence, if any.
  func check() throws {
    if let failure { throw failure }
  }
}

extension EvalContext {
  /// Signal batches of the pretraining task (the networks' own items, with the 12-lead ground truth, reports and
  /// the windows' lead masks) for `windows`.
  func signalBatches(_ windows: EvaluationWindows) throws -> EvalBatches<Batch<SignalBatch>> {
    var task = try settings.makeLoader().task
    task.includeGroundTruth = true
    return EvalBatches(windows, batchSize: options.evalBatchSize) { items in
      // No augmentation and no masking draws at evaluation; the generator only satisfies the signature.
      var random = Xoshiro256StarStar(seed: 0)
      guard case .signal(let batch) = try task.batch(for: items, random: &random) else {
        preconditionFailure("the signal networks' items are signal batches")
      }
      let masks = items.map { $0.leadMask ?? [Bool](repeating: true, count: 12) }
      return Batch(
        input: batch, ids: items.map(\.id), reports: items.map(\.report),
        leadMasks: masks.allSatisfy { !$0.contains(false) } ? nil : masks)
    }
  }
}
