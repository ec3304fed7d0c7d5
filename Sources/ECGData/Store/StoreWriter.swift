import Foundation

/// Writes a dataset store in `<store>.partial/`, one finished shard at a time, and renames it to
/// `<store>` only once `store.json` is written: a crash leaves nothing that looks complete, and a
/// re-run with the same settings skips the shards already finished.
public struct StoreWriter: Sendable {
  /// The store to create.
  public let url: URL
  /// Where the run works until it finishes.
  public let workURL: URL
  /// Samples per lead.
  public let segmentLength: Int
  /// Stored leads.
  public let leads: [String]

  /// Prepares `<url>.partial`. A finished store at `url` is an error unless `overwrite`; an unfinished
  /// run made with other `settings` is an error unless `overwrite` (then it starts over).
  public init(
    url: URL, settings: [String: String], segmentLength: Int, leads: [String] = StandardLeads.names, overwrite: Bool
  ) throws {
    self.url = url.standardizedFileURL
    workURL = URL(fileURLWithPath: self.url.path + ".partial")
    self.segmentLength = segmentLength
    self.leads = leads
    let files = FileManager.default
    if files.fileExists(atPath: self.url.path) && !overwrite {
      throw StoreError("\(self.url.path) already exists; choose another --out or pass --overwrite")
    }
    let settingsURL = workURL.appendingPathComponent("settings.json")
    if files.fileExists(atPath: workURL.path) {
      let old = (try? Data(contentsOf: settingsURL)).flatMap {
        try? JSONDecoder().decode([String: String].self, from: $0)
      }
      if old != settings {
        guard overwrite else {
          throw StoreError(
            "\(workURL.path) holds an unfinished run with other settings; delete it or pass --overwrite to start over")
        }
        try files.removeItem(at: workURL)
      }
    }
    try files.createDirectory(at: workURL.appendingPathComponent("shards"), withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    try encoder.encode(settings).write(to: settingsURL, options: .atomic)
  }

  private func shardName(_ number: Int) -> String { String(format: "shards/%05d", number) }

  /// Whether shard `number` was finished by this or an earlier run.
  public func isShardDone(_ number: Int) -> Bool {
    FileManager.default.fileExists(atPath: workURL.appendingPathComponent(shardName(number) + ".done.json").path)
  }

  /// Writes shard `number` at once (see `ShardSink` to stream a shard window by window).
  public func writeShard(_ number: Int, windows: [StoredWindow], summary: PreprocessSummary) throws {
    let sink = try openShard(number)
    for window in windows { try sink.append(window) }
    try sink.finish(summary: summary)
  }

  /// Starts shard `number`: windows go to disk as they are appended, so a worker holds one record's
  /// windows at a time, however long the records are.
  public func openShard(_ number: Int) throws -> ShardSink {
    try ShardSink(folder: workURL, name: shardName(number), windowSize: leads.count * segmentLength)
  }

  struct ShardRecord: Codable {
    var windows: Int
    var xxh64: String
    var summary: PreprocessSummary
    var statistics: StoreStatistics
    var keys: [SplitKey]
  }

  /// Assembles shards `0..<shardCount` into the store: split column, index, manifest, then renames
  /// the work folder to the store's name. Returns the manifest.
  @discardableResult
  public func finish(
    shardCount: Int, samplingRate: Double, policy: SplitPolicy, seed: Int, createdBy: String
  ) throws -> StoreManifest {
    let files = FileManager.default
    var shards: [StoreManifest.Shard] = []
    var keys: [SplitKey] = []
    var summary = PreprocessSummary()
    var statistics = StoreStatistics()
    var records = Set<String>()
    // The index is appended shard by shard to disk, never held whole in memory.
    let indexURL = workURL.appendingPathComponent("index.jsonl")
    let indexTemporary = workURL.appendingPathComponent("index.jsonl.tmp")
    guard files.createFile(atPath: indexTemporary.path, contents: nil) else {
      throw StoreError("cannot create \(indexTemporary.path)")
    }
    let index = try FileHandle(forWritingTo: indexTemporary)
    defer { try? index.close() }
    for number in 0..<shardCount {
      let name = shardName(number)
      let doneURL = workURL.appendingPathComponent(name + ".done.json")
      guard let data = try? Data(contentsOf: doneURL) else {
        throw StoreError("shard \(number) is not finished; re-run to complete it")
      }
      let record = try JSONDecoder().decode(ShardRecord.self, from: data)
      summary.add(record.summary)
      statistics.add(record.statistics)
      if record.windows == 0 {
        try? files.removeItem(at: workURL.appendingPathComponent(name + ".f32"))
      } else {
        shards.append(.init(file: name + ".f32", windows: record.windows, xxh64: record.xxh64))
        keys += record.keys
        try index.write(contentsOf: Data(contentsOf: workURL.appendingPathComponent(name + ".jsonl")))
      }
      for key in record.keys { records.insert(key.source + "/" + key.record) }
    }
    try index.synchronize()
    try index.close()
    if files.fileExists(atPath: indexURL.path) { try files.removeItem(at: indexURL) }
    try files.moveItem(at: indexTemporary, to: indexURL)
    let indexMap = try MappedFile(path: indexURL.path)
    let indexChecksum = withExtendedLifetime(indexMap) { XXHash64.hex(indexMap.bytes) }
    let splits = SplitAssigner.assign(keys, policy: policy, seed: seed)
    for (key, split) in zip(keys, splits) {
      statistics.windows[key.source, default: [:]][split.rawValue, default: 0] += 1
    }
    let splitData = Data(splits.map(\.code))
    try splitData.write(to: workURL.appendingPathComponent("splits.u8"), options: .atomic)
    let manifest = StoreManifest(
      format: StoreManifest.formatName, version: StoreManifest.currentVersion, dtype: "float32-le", leads: leads,
      segmentLength: segmentLength, samplingRate: samplingRate, windowCount: keys.count, recordCount: records.count,
      shards: shards, indexXXH64: indexChecksum,
      splitsXXH64: splitData.withUnsafeBytes { XXHash64.hex($0) }, splitPolicy: policy.rawValue, splitSeed: seed,
      createdBy: createdBy, summary: summary, statistics: statistics)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try encoder.encode(manifest).write(to: workURL.appendingPathComponent("store.json"), options: .atomic)
    for number in 0..<shardCount {
      for suffix in [".jsonl", ".done.json"] {
        try? files.removeItem(at: workURL.appendingPathComponent(shardName(number) + suffix))
      }
    }
    try? files.removeItem(at: workURL.appendingPathComponent("settings.json"))
    if files.fileExists(atPath: url.path) { try files.removeItem(at: url) }
    try files.moveItem(at: workURL, to: url)
    return manifest
  }
}
