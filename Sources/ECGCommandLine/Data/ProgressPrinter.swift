import ECGData
import Foundation

/// Prints a data run's progress (`ProgressLine`: records/s, ETA) on standard error and its closing summary.
final class ProgressPrinter {
  let quiet: Bool
  /// What the run reads one at a time: `records`, or `files` for `ecg data import` (one window per file, several
  /// files per record), so that read and skipped counts say what they count.
  let unit: String
  private let line: ProgressLine

  init(quiet: Bool, unit: String = "records") {
    self.quiet = quiet
    self.unit = unit
    line = ProgressLine(unit: unit, quiet: quiet)
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
      "\(unit) read".rightPadded(18) + "\(s.recordsRead)",
      "records stored    \(manifest.recordCount)",
      "windows written   \(s.windowsWritten)",
      "windows dropped   \(s.windowsDroppedNonFinite) (NaN/Inf)",
      "\(unit) skipped".rightPadded(18) + "\(s.skipped.values.reduce(0, +))",
    ]
    for (reason, count) in s.skipped.sorted(by: { $0.value > $1.value }) { lines.append("  \(reason): \(count)") }
    if !s.skipExamples.isEmpty {
      lines.append("first skipped \(unit):")
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
