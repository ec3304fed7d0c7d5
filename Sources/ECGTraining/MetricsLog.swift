import Foundation

/// `metrics.jsonl`: one JSON object per metrics record (`step`, `epoch`, `loss`, `lr`, `grad_norm`,
/// `samples_per_s`, `wall_s`).
public final class MetricsLog {
  public let url: URL
  private let handle: FileHandle
  private let encoder: JSONEncoder

  /// Opens the log for appending. A resumed run passes the step it resumes from: records after it (written
  /// before the interruption, after the checkpoint) are dropped, since the resumed run writes them again.
  public init(url: URL, keepingRecordsThrough step: Int? = nil) throws {
    self.url = url
    let manager = FileManager.default
    if let step, let existing = try? String(contentsOf: url, encoding: .utf8) {
      let kept = existing.split(separator: "\n").filter { line in
        guard let data = line.data(using: .utf8),
          let record = try? JSONDecoder().decode(StepMetrics.self, from: data)
        else { return false }
        return record.step <= step
      }
      try Data(kept.map { $0 + "\n" }.joined().utf8).write(to: url, options: .atomic)
    } else if !manager.fileExists(atPath: url.path) {
      guard manager.createFile(atPath: url.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
      }
    }
    handle = try FileHandle(forWritingTo: url)
    try handle.seekToEnd()
    encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
  }

  deinit { try? handle.close() }

  /// Appends one record.
  public func append(_ metrics: StepMetrics) throws {
    var line = try encoder.encode(metrics)
    line.append(UInt8(ascii: "\n"))
    try handle.write(contentsOf: line)
  }
}
