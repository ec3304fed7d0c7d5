import ECGData
import Foundation

/// Prints a data run's progress (`ProgressLine`: records/s, ETA) on standard error and its closing summary.
final class ProgressPrinter {
  let quiet: Bool
  private let line: ProgressLine

  init(quiet: Bool) {
    self.quiet = quiet
    line = ProgressLine(unit: "records", quiet: quiet)
  }

  func progress(_ p: PreprocessProgress) {
    line.update(done: p.recordsDone, total: p.recordsTotal, resumed: max(0, p.recordsDone - p.recordsThisRun))
  }

  /// The closing summary: records read, windows written, skips and warnings by reason with the first messages.
  func summary(_ manifest: StoreManifest, store: String) -> String {
    line.finish()
    let s = manifest.summary
    var lines = [
      "store \(store)",
      "records read      \(s.recordsRead)",
      "records stored    \(manifest.recordCount)",
      "windows written   \(s.windowsWritten)",
      "windows dropped   \(s.windowsDroppedNonFinite) (NaN/Inf)",
      "records skipped   \(s.skipped.values.reduce(0, +))",
    ]
    for (reason, count) in s.skipped.sorted(by: { $0.value > $1.value }) { lines.append("  \(reason): \(count)") }
    if !s.skipExamples.isEmpty {
      lines.append("first skipped records:")
      lines += s.skipExamples.map { "  " + $0 }
    }
    if !s.warnings.isEmpty {
      lines.append("warnings          \(s.warnings.values.reduce(0, +))")
      for (reason, count) in s.warnings.sorted(by: { $0.value > $1.value }) { lines.append("  \(reason): \(count)") }
      lines += s.warningExamples.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }
}
