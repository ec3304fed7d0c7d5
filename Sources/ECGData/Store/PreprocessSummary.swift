/// What a preprocessing or import run did.
public struct PreprocessSummary: Sendable, Codable, Equatable {
  /// Records attempted.
  public var recordsRead: Int = 0
  /// Records skipped, by reason.
  public var skipped: [String: Int] = [:]
  /// Windows stored.
  public var windowsWritten: Int = 0
  /// Windows dropped because they held NaN or ±Inf.
  public var windowsDroppedNonFinite: Int = 0
  /// The first skipped records' messages (at most `exampleLimit`).
  public var skipExamples: [String] = []
  /// How many skip messages a summary keeps.
  public static let exampleLimit = 10

  /// Creates an empty summary.
  public init() {}

  /// Adds another summary's counts.
  public mutating func add(_ other: PreprocessSummary) {
    recordsRead += other.recordsRead
    windowsWritten += other.windowsWritten
    windowsDroppedNonFinite += other.windowsDroppedNonFinite
    skipped.merge(other.skipped, uniquingKeysWith: +)
    skipExamples += other.skipExamples.prefix(max(0, Self.exampleLimit - skipExamples.count))
  }

  /// Counts a skipped record under its reason, keeping its message while there are few.
  public mutating func skip(_ skip: RecordSkip) {
    skipped[skip.reason, default: 0] += 1
    if skipExamples.count < Self.exampleLimit { skipExamples.append(skip.description) }
  }

  enum CodingKeys: String, CodingKey {
    case recordsRead = "records_read", skipped, windowsWritten = "windows_written"
    case windowsDroppedNonFinite = "windows_dropped_nonfinite", skipExamples = "skip_examples"
  }
}
