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
  /// Lead names in stored order: the standard 12-lead order, or the reference's (aVL before aVR) in a store
  /// imported with `--keep-lead-order`.
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
