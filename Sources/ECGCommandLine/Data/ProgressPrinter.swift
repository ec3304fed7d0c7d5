import ECGData
import Foundation

/// Prints run progress (records/s, ETA) on standard error and the closing summary.
struct ProgressPrinter {
  let quiet: Bool

  func progress(_ p: PreprocessProgress) {
    guard !quiet else { return }
    let eta = p.eta.map { Self.duration($0) } ?? "--"
    let line = String(format: "\r%d/%d records  %.1f records/s  ETA %@   ", p.recordsDone, p.recordsTotal, p.rate, eta)
    FileHandle.standardError.write(Data(line.utf8))
  }

  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }

  /// The closing summary: records read, windows written, skips by reason with the first messages.
  func summary(_ manifest: StoreManifest, store: String) -> String {
    if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
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
    return lines.joined(separator: "\n")
  }
}
