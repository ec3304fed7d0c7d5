import ECGData
import Foundation
import Synchronization

/// Prints run progress to standard error (records/s, ETA) at most a few times a second, and keeps
/// the first skipped-record messages for the summary.
final class ProgressPrinter: Sendable {
  private struct State {
    var lastPrint = Date.distantPast
    var skipMessages: [String] = []
  }
  private let state = Mutex(State())
  private let quiet: Bool
  static let keptSkips = 10

  init(quiet: Bool) { self.quiet = quiet }

  func skipped(_ record: SourceRecord, _ skip: RecordSkip) {
    state.withLock { if $0.skipMessages.count < Self.keptSkips { $0.skipMessages.append(skip.description) } }
  }

  func progress(_ p: PreprocessProgress) {
    guard !quiet else { return }
    let now = Date()
    let due = state.withLock { state -> Bool in
      guard now.timeIntervalSince(state.lastPrint) > 0.25 || p.recordsDone == p.recordsTotal else { return false }
      state.lastPrint = now
      return true
    }
    guard due else { return }
    let eta = p.eta.map { Self.duration($0) } ?? "--"
    let line = String(format: "\r%d/%d records  %.1f records/s  ETA %@   ", p.recordsDone, p.recordsTotal, p.rate, eta)
    FileHandle.standardError.write(Data(line.utf8))
  }

  var skipMessages: [String] { state.withLock { $0.skipMessages } }

  static func duration(_ seconds: Double) -> String {
    let s = Int(seconds.rounded())
    return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }

  /// The closing summary: records read, windows written, skips by reason.
  func summary(_ manifest: StoreManifest, store: String) -> String {
    if !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    let s = manifest.summary
    var lines = [
      "store \(store)",
      "records read      \(s.recordsRead)",
      "records stored    \(manifest.recordCount)",
      "windows written   \(s.windowsWritten)",
      "windows dropped   \(s.windowsDroppedNonFinite) (NaN/Inf)",
    ]
    let skipped = s.skipped.values.reduce(0, +)
    lines.append("records skipped   \(skipped)")
    for (reason, count) in s.skipped.sorted(by: { $0.value > $1.value }) { lines.append("  \(reason): \(count)") }
    let messages = skipMessages
    if !messages.isEmpty {
      lines.append("first skipped records:")
      lines += messages.map { "  " + $0 }
    }
    return lines.joined(separator: "\n")
  }
}
