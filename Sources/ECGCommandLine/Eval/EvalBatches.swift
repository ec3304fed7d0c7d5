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
  /// Which of the 12 standard leads the windows built so far hold (a window without a lead mask holds them all).
  private(set) var leads = LeadCoverage(names: StandardLeads.names)

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
        let items = try chunks[next].map { try windows.source.window(at: $0) }
        for item in items { leads.add(present: item.leadMask ?? [Bool](repeating: true, count: 12)) }
        return try build(items)
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
      try requireNetworkLength(items)
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

extension EvalContext {
  /// Throws unless every window of `items` holds the `--segment_len` samples per lead the network reads: exactly
  /// (the symbolic representation tokenises the whole window it gets, so `windows(seed:)` serves them cut), or
  /// at least (the signal representation cuts them itself, and would zero-pad a shorter one).
  func requireNetworkLength(_ items: [ECGWindow]) throws {
    let exact = settings.dataRepresentation == "bpe_symbolic"
    guard let wrong = items.first(where: { exact ? $0.length != settings.segmentLen : $0.length < settings.segmentLen })
    else { return }
    throw CommandError(
      "window \(wrong.id) holds \(wrong.length) samples per lead, the network reads \(settings.segmentLen) "
        + "(--segment_len); evaluate data of \(settings.segmentLen)-sample windows")
  }
}
