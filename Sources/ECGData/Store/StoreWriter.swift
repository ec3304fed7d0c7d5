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

  /// Whether an existing store at `url` may be replaced.
  public let overwrite: Bool
  private let lock: StoreLock

  /// Prepares `<url>.partial`. `OutputFolder.check` decides whether `url` may be written (never the current
  /// folder, an input in `inputs`, or anything but a store, which needs `overwrite`). An unfinished run made
  /// with other `settings` is an error naming what differs unless `overwrite` (then it starts over). A lock
  /// in the work folder stops a second run from writing the same store. `createdBy` (the command line) is
  /// kept beside the settings so an unfinished store can say how to finish it; `estimatedBytes`, when
  /// given, is checked against the free space first.
  public init(
    url: URL, settings: [String: String], segmentLength: Int, leads: [String] = StandardLeads.names, overwrite: Bool,
    inputs: [URL] = [], createdBy: String? = nil, estimatedBytes: Int? = nil
  ) throws {
    self.url = url.standardizedFileURL
    workURL = URL(fileURLWithPath: self.url.path + ".partial")
    self.segmentLength = segmentLength
    self.leads = leads
    self.overwrite = overwrite
    let files = FileManager.default
    try OutputFolder.check(self.url, inputs: inputs, overwrite: overwrite)
    let workURL = self.workURL
    let settingsURL = workURL.appendingPathComponent("settings.json")
    var isFolder: ObjCBool = false
    let existing = files.fileExists(atPath: workURL.path, isDirectory: &isFolder)
    if existing
      && !(isFolder.boolValue
        && (files.fileExists(atPath: settingsURL.path)
          || files.fileExists(atPath: workURL.appendingPathComponent(StoreLock.fileName).path)))
    {
      throw StoreError(
        "\(workURL.path) exists but was not written by ecg (no settings.json); move it away or choose another --out")
    }
    try FileErrorText.storeError("create", workURL.path) {
      try files.createDirectory(at: workURL, withIntermediateDirectories: true)
    }
    if !existing, let estimatedBytes {
      do {
        try OutputFolder.checkSpace(estimatedBytes, near: self.url)
      } catch {
        try? files.removeItem(at: workURL)
        throw error
      }
    }
    lock = try StoreLock(folder: workURL)
    if existing {
      let old = (try? Data(contentsOf: settingsURL)).flatMap {
        try? JSONDecoder().decode([String: String].self, from: $0)
      }
      if old != settings {
        guard overwrite else {
          let differences = old.map { Self.differences($0, settings) } ?? "its settings file is unreadable"
          throw StoreError(
            "\(workURL.path) holds an unfinished run with other settings (\(differences)); re-run the command that made it, or pass --overwrite to start over"
          )
        }
        // Everything in the work folder was written by an earlier run; the lock file is ours now.
        try FileErrorText.storeError("clear", workURL.path) {
          for name in try files.contentsOfDirectory(atPath: workURL.path) where name != StoreLock.fileName {
            try files.removeItem(at: workURL.appendingPathComponent(name))
          }
        }
      }
    }
    try FileErrorText.storeError("write", settingsURL.path) {
      try files.createDirectory(at: workURL.appendingPathComponent("shards"), withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      try encoder.encode(settings).write(to: settingsURL, options: .atomic)
      if let createdBy {
        // The command's relative paths hold from the folder it ran in, so the resume hint starts there.
        let folder = Self.shellWord(FileManager.default.currentDirectoryPath)
        try Data("cd \(folder) && \(createdBy)\n".utf8).write(
          to: workURL.appendingPathComponent(Self.commandFileName), options: .atomic)
      }
    }
  }

  /// `text` as one word of a POSIX shell: as it is when it has no special character, else in single quotes.
  static func shellWord(_ text: String) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@%")
    guard !text.isEmpty, !text.allSatisfy(plain.contains) else { return text.isEmpty ? "''" : text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// The file in `<store>.partial` that holds the command line of the run (after a `cd` to its folder).
  public static let commandFileName = "command.txt"

  /// `key: old → new` for every setting that differs.
  static func differences(_ old: [String: String], _ new: [String: String]) -> String {
    Set(old.keys).union(new.keys).sorted().compactMap { key in
      old[key] == new[key] ? nil : "\(key): \(old[key] ?? absentText(key)) → \(new[key] ?? absentText(key))"
    }.joined(separator: ", ")
  }

  /// How `differences` names a setting a run did not record (recorded only when not the default).
  private static func absentText(_ key: String) -> String {
    switch key {
    case "require_12_leads": return "no"
    case "leads": return StandardLeads.names.joined(separator: " ")
    default: return "none"
    }
  }

  private func shardName(_ number: Int) -> String { String(format: "shards/%05d", number) }

  /// Whether shard `number` was finished by this or an earlier run and is intact: its done marker reads,
  /// its data file has the recorded size and checksum, and its index has one line per window. A damaged
  /// shard's files are removed so that it is written again.
  public func isShardDone(_ number: Int) -> Bool {
    let files = FileManager.default
    let base = workURL.appendingPathComponent(shardName(number))
    let doneURL = URL(fileURLWithPath: base.path + ".done.json")
    guard files.fileExists(atPath: doneURL.path) else { return false }
    if shardIsIntact(base: base, doneURL: doneURL) { return true }
    for suffix in [".done.json", ".f32", ".jsonl"] { try? files.removeItem(atPath: base.path + suffix) }
    return false
  }

  private func shardIsIntact(base: URL, doneURL: URL) -> Bool {
    guard let data = try? Data(contentsOf: doneURL),
      let record = try? JSONDecoder().decode(ShardRecord.self, from: data)
    else { return false }
    let (bytes, overflow) = record.windows.multipliedReportingOverflow(by: leads.count * segmentLength * 4)
    guard !overflow, let shard = try? MappedFile(path: base.path + ".f32"), shard.bytes.count == bytes,
      let lines = try? MappedFile(path: base.path + ".jsonl")
    else {
      // An empty shard has no data worth keeping, but its marker still needs its (empty) index.
      return record.windows == 0 && FileManager.default.fileExists(atPath: base.path + ".jsonl")
    }
    let newlines = lines.bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    return newlines == record.windows && withExtendedLifetime(shard) { XXHash64.hex(shard.bytes) } == record.xxh64
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
    try ShardSink(folder: workURL, name: shardName(number), leads: leads, segmentLength: segmentLength)
  }

  struct ShardRecord: Codable {
    var windows: Int
    var xxh64: String
    var summary: PreprocessSummary
    var statistics: StoreStatistics
    var keys: [SplitKey]
  }

  /// The error of a run that stored no window: records read and the main skip reasons.
  static func nothingStored(_ summary: PreprocessSummary) -> String {
    var text = "nothing was stored: \(summary.recordsRead) records read, no window written"
    let reasons = summary.skipped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    if !reasons.isEmpty {
      text += "; skipped: " + reasons.prefix(4).map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
    if let example = summary.skipExamples.first { text += " (first: \(example))" }
    if summary.windowsDroppedNonFinite > 0 { text += "; \(summary.windowsDroppedNonFinite) windows held NaN/Inf" }
    return text + ". Check the input and the settings (--segment-len, --target-fs)"
  }

  /// Assembles shards `0..<shardCount` into the store: split column, index, manifest, then renames
  /// the work folder to the store's name. Returns the manifest.
  @discardableResult
  public func finish(
    shardCount: Int, samplingRate: Double, policy: SplitPolicy, seed: Int, createdBy: String
  ) throws -> StoreManifest {
    try FileErrorText.storeError("finish the store in", workURL.path) {
      try assemble(shardCount: shardCount, samplingRate: samplingRate, policy: policy, seed: seed, createdBy: createdBy)
    }
  }

  private func assemble(
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
      throw StoreError(
        "cannot create \(indexTemporary.path): \(FileErrorText.posixReason(errno)); choose a folder you can write to")
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
    guard !keys.isEmpty else {
      // A run that stores nothing publishes nothing: the reasons are in the error, the work folder goes.
      try? files.removeItem(at: workURL)
      throw StoreError(Self.nothingStored(summary))
    }
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
    try? files.removeItem(at: workURL.appendingPathComponent(Self.commandFileName))
    // Checked again: another program may have put something at `url` while this run worked.
    try OutputFolder.check(url, overwrite: overwrite)
    if files.fileExists(atPath: url.path) { try files.removeItem(at: url) }
    try files.moveItem(at: workURL, to: url)
    try? files.removeItem(at: url.appendingPathComponent(StoreLock.fileName))
    return manifest
  }
}
