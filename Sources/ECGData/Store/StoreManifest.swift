/// `store.json`: the dataset store's manifest, written last so that a store without it is unfinished.
public struct StoreManifest: Sendable, Codable, Equatable {
  /// One shard file of float32 windows.
  public struct Shard: Sendable, Codable, Equatable {
    /// Path relative to the store folder, e.g. `shards/00000.f32`.
    public var file: String
    /// Windows in the shard.
    public var windows: Int
    /// XXH64 of the file's bytes as 16 hex digits.
    public var xxh64: String
  }

  /// The format identifier.
  public static let formatName = "ecgencoder-dataset-store"
  /// The format version this code writes and reads.
  public static let currentVersion = 1

  /// Always `ecgencoder-dataset-store`.
  public var format: String
  /// Format version (1).
  public var version: Int
  /// Sample type: little-endian IEEE float32.
  public var dtype: String
  /// Lead names in stored order (the standard 12-lead order).
  public var leads: [String]
  /// Samples per lead per window.
  public var segmentLength: Int
  /// Sampling rate of the stored windows, Hz.
  public var samplingRate: Double
  /// Total windows.
  public var windowCount: Int
  /// Records that gave at least one window.
  public var recordCount: Int
  /// Shards in window order.
  public var shards: [Shard]
  /// XXH64 of `index.jsonl`.
  public var indexXXH64: String
  /// XXH64 of `splits.u8`.
  public var splitsXXH64: String
  /// How splits were assigned (`official`, `patient`, or `reference-files`), and with which seed.
  public var splitPolicy: String
  /// Seed of the split.
  public var splitSeed: Int
  /// How the store was made (`ecg preprocess --source ...` or `ecg data import ...`).
  public var createdBy: String
  /// Records read, windows written and dropped, skip reasons with counts.
  public var summary: PreprocessSummary
  /// Window counts per source and split, and class and label frequencies (so `ecg data info` reads no index).
  public var statistics: StoreStatistics

  enum CodingKeys: String, CodingKey {
    case format, version, dtype, leads, shards, summary
    case segmentLength = "segment_len", samplingRate = "sampling_rate", windowCount = "window_count"
    case recordCount = "record_count", indexXXH64 = "index_xxh64", splitsXXH64 = "splits_xxh64"
    case splitPolicy = "split_policy", splitSeed = "split_seed", createdBy = "created_by", statistics
  }
}

/// Counts over a store's windows.
public struct StoreStatistics: Sendable, Codable, Equatable {
  /// Windows per source, then per split name.
  public var windows: [String: [String: Int]] = [:]
  /// Windows per class.
  public var classes: [String: Int] = [:]
  /// Windows with a positive value per label code.
  public var labels: [String: Int] = [:]

  /// Empty statistics.
  public init() {}

  /// Counts one window's classes and labels.
  mutating func count(_ metadata: WindowMetadata) {
    for name in metadata.classes { classes[name, default: 0] += 1 }
    for (code, value) in metadata.labels where value > 0 { labels[code, default: 0] += 1 }
  }

  /// Adds another's class and label counts.
  mutating func add(_ other: StoreStatistics) {
    classes.merge(other.classes, uniquingKeysWith: +)
    labels.merge(other.labels, uniquingKeysWith: +)
  }
}

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
