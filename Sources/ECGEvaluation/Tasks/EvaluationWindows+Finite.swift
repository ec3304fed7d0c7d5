import ECGData

/// Windows an evaluation skipped because they hold NaN or infinite samples (a reference `preprocessed_<len>` file
/// read directly, a store edited after writing): one such sample would make every metric of its seed NaN.
public struct NonFiniteWindows: Sendable, Equatable {
  /// Windows read before the evaluation had the windows it needs.
  public var read = 0
  /// Windows skipped among them.
  public var skipped = 0
  /// The id of the first window skipped (`record#window`, a reference file's name).
  public var first: String?

  /// A sentence for the console and the report; nil when no window was skipped.
  public var note: String? {
    guard skipped > 0, let first else { return nil }
    return "\(skipped) of \(read) windows read hold NaN or infinite samples and were skipped (the first: \(first)); "
      + "the scores describe the other \(read - skipped)"
  }
}

extension EvaluationWindows {
  /// The first `maxSamples` windows (all when nil) whose samples are all finite, in order, with the note of
  /// `NonFiniteWindows` added to `notes` when some were skipped. Reads the windows (as the network will see them:
  /// the source serves them cut to the network's length) until `maxSamples` are kept.
  /// - Returns: the windows kept (none when every window read holds a non-finite sample) and what was skipped.
  public func keepingFinite(_ maxSamples: Int?) throws -> (windows: EvaluationWindows, skipped: NonFiniteWindows) {
    var skipped = NonFiniteWindows()
    var kept: [Int] = []
    for index in order {
      if let maxSamples, kept.count >= maxSamples { break }
      skipped.read += 1
      let finite = try source.withWindow(at: index, includingReport: false) { window in
        window.values.allSatisfy(\.isFinite)
      }
      if finite {
        kept.append(index)
      } else {
        skipped.skipped += 1
        if skipped.first == nil { skipped.first = try source.window(at: index, includingReport: true).id }
      }
    }
    let notes = notes + (skipped.note.map { [$0] } ?? [])
    return (EvaluationWindows(source: source, order: kept, notes: notes), skipped)
  }
}
