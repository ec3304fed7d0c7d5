import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one progress format of `ecg`, on standard error: `done/total unit  rate unit/s  ETA m:ss`.
///
/// On a terminal the line is redrawn in place (`\r`) at most four times a second; otherwise (a log file, a
/// pipe) a plain line is written every `plainInterval` seconds and at the end. The rate and ETA count only
/// this run's work: what an earlier, interrupted run finished (`resumed`) is not new work.
final class ProgressLine {
  private let unit: String
  private let quiet: Bool
  private let isTerminal: Bool
  private let plainInterval: Double
  private let start = Date()
  private var lastPrint = Date.distantPast
  private var printed = false

  /// A progress line counting `unit` (e.g. "records"); nothing is printed when `quiet`.
  init(unit: String, quiet: Bool = false, isTerminal: Bool = isatty(STDERR_FILENO) != 0, plainInterval: Double = 10) {
    self.unit = unit
    self.quiet = quiet
    self.isTerminal = isTerminal
    self.plainInterval = plainInterval
  }

  /// Reports `done` of `total`, of which `resumed` were finished by an earlier run.
  func update(done: Int, total: Int, resumed: Int = 0) {
    guard !quiet else { return }
    let now = Date()
    let finished = done >= total
    guard finished || now.timeIntervalSince(lastPrint) >= (isTerminal ? 0.25 : plainInterval) else { return }
    lastPrint = now
    let text = Self.text(done: done, total: total, resumed: resumed, elapsed: now.timeIntervalSince(start), unit: unit)
    FileHandle.standardError.write(Data((isTerminal ? "\r" + text + "   " : text + "\n").utf8))
    printed = true
  }

  /// Ends the line on a terminal (so the next output starts on its own line).
  func finish() {
    if printed && isTerminal && !quiet { FileHandle.standardError.write(Data("\n".utf8)) }
    printed = false
  }

  /// `done/total unit  rate unit/s  ETA m:ss` (`, resumed N` when an earlier run did part of the work).
  static func text(done: Int, total: Int, resumed: Int, elapsed: Double, unit: String) -> String {
    let new = max(0, done - resumed)
    let rate = elapsed > 0 ? Double(new) / elapsed : 0
    let eta = rate > 0 ? duration(Double(max(0, total - done)) / rate) : "--"
    var text = "\(done)/\(total) \(unit)  \(rateText(rate)) \(unit)/s  ETA \(eta)"
    if resumed > 0 { text += "  (\(resumed) kept from an earlier run)" }
    return text
  }

  /// A rate with at most one decimal, none above 100.
  static func rateText(_ rate: Double) -> String {
    rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)
  }

  /// `m:ss`, or `h:mm:ss` from an hour on.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds < 1e9 else { return "--" }
    let s = Int(seconds.rounded())
    return s >= 3600
      ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
  }
}
