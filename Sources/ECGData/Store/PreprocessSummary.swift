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
  /// Problems that did not stop a record (unreadable fold, ...), by reason.
  public var warnings: [String: Int] = [:]
  /// The first warnings' messages (at most `exampleLimit`).
  public var warningExamples: [String] = []
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
    warnings.merge(other.warnings, uniquingKeysWith: +)
    warningExamples += other.warningExamples.prefix(max(0, Self.exampleLimit - warningExamples.count))
  }

  /// Counts a problem that did not stop its record, keeping its message while there are few.
  public mutating func warn(_ warning: RecordSkip) {
    warnings[warning.reason, default: 0] += 1
    if warningExamples.count < Self.exampleLimit { warningExamples.append(warning.description) }
  }

  /// Counts a skipped record under its reason, keeping its message while there are few.
  public mutating func skip(_ skip: RecordSkip) {
    skipped[skip.reason, default: 0] += 1
    if skipExamples.count < Self.exampleLimit { skipExamples.append(skip.description) }
  }

  enum CodingKeys: String, CodingKey {
    case recordsRead = "records_read", skipped, windowsWritten = "windows_written"
    case windowsDroppedNonFinite = "windows_dropped_nonfinite", skipExamples = "skip_examples"
    case warnings, warningExamples = "warning_examples"
  }

  /// Decodes a summary; stores written before warnings were counted have none.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    recordsRead = try c.decode(Int.self, forKey: .recordsRead)
    skipped = try c.decode([String: Int].self, forKey: .skipped)
    windowsWritten = try c.decode(Int.self, forKey: .windowsWritten)
    windowsDroppedNonFinite = try c.decode(Int.self, forKey: .windowsDroppedNonFinite)
    skipExamples = try c.decode([String].self, forKey: .skipExamples)
    warnings = try c.decodeIfPresent([String: Int].self, forKey: .warnings) ?? [:]
    warningExamples = try c.decodeIfPresent([String].self, forKey: .warningExamples) ?? []
  }
}
