import Foundation

/// Settings of a preprocessing run.
public struct PreprocessOptions: Sendable {
  /// Output sampling rate, Hz (default 250).
  public var targetRate: Double = 250
  /// Samples per lead per window (default 2500).
  public var segmentLength: Int = 2500
  /// Shards processed at once (default: all cores).
  public var workers: Int = ProcessInfo.processInfo.activeProcessorCount
  /// Only the first `limit` records, when set.
  public var limit: Int?
  /// Records per shard; a shard is the unit of resumption and is held in memory while it is written.
  public var recordsPerShard: Int = 128
  /// How splits are assigned.
  public var splitPolicy: SplitPolicy = .official
  /// Seed of the split.
  public var seed: Int = 0
  /// Replace an existing store or an unfinished run with other settings.
  public var overwrite: Bool = false

  /// Default settings.
  public init() {}
}

/// Progress of a run, reported after each finished shard.
public struct PreprocessProgress: Sendable {
  /// Records processed so far (including shards finished by an earlier run).
  public var recordsDone: Int
  /// Records in the run.
  public var recordsTotal: Int
  /// Records processed by this run, and the seconds it has taken.
  public var recordsThisRun: Int
  /// Seconds since this run started.
  public var elapsed: Double

  /// Records per second in this run.
  public var rate: Double { elapsed > 0 ? Double(recordsThisRun) / elapsed : 0 }
  /// Estimated seconds left.
  public var eta: Double? { rate > 0 ? Double(recordsTotal - recordsDone) / rate : nil }
}

/// Runs a source through `RecordProcessor` into a dataset store, shard by shard on all cores.
public enum Preprocessor {
  /// The store's size when the source fixes its records' length (PTB-XL, CSN) or holds one window per file
  /// (reference folders), checked against the free space before the run; nil when the length is unknown.
  static func estimatedBytes(source: any RecordSource, records: Int, options: PreprocessOptions) -> Int? {
    var windows: Int
    if source is ReferenceFolderSource {
      windows = 1
    } else if let frames = source.expectations.frames, let rate = source.expectations.samplingRate {
      windows = Resampler.outputLength(count: frames, from: rate, to: options.targetRate) / options.segmentLength
    } else {
      return nil
    }
    windows = min(windows, Int.max / 2)
    // 12 float32 leads per window, and about a kilobyte of index line.
    let (perWindow, o1) = options.segmentLength.multipliedReportingOverflow(by: 48)
    let (perRecord, o2) = (perWindow + 1024).multipliedReportingOverflow(by: windows)
    let (total, o3) = perRecord.multipliedReportingOverflow(by: records)
    return o1 || o2 || o3 ? Int.max : total
  }

  /// Preprocesses `source` into the store at `output` and returns the finished store's manifest. `inputs`
  /// are the folders the source reads, which the output may not cover; `createdBy` is the command line
  /// recorded in the manifest. A run that stores no window throws with the skip reasons and publishes nothing.
  /// `onProgress` is called from this task (never concurrently) after finished shards, at most four
  /// times a second and once at the end.
  public static func run(
    source: any RecordSource, output: URL, options: PreprocessOptions, createdBy: String, inputs: [URL] = [],
    onProgress: (PreprocessProgress) -> Void = { _ in }
  ) async throws -> StoreManifest {
    var records = try source.records()
    if let limit = options.limit { records = Array(records.prefix(limit)) }
    guard !records.isEmpty else {
      throw DataSourceError("no \(source.name) records found; check the input folder")
    }
    // A record listed twice would be stored twice: later copies are skipped with their reason.
    var seen = Set<String>()
    for i in records.indices where !seen.insert("\(records[i].id)#\(records[i].firstWindow)").inserted {
      records[i].problem = RecordSkip(
        "duplicate record id", "\(records[i].path): record id \(records[i].id) is listed more than once; kept the first"
      )
    }
    let perShard = max(1, options.recordsPerShard)
    let shardCount = records.count / perShard + (records.count % perShard == 0 ? 0 : 1)
    var settings = [
      "source": source.name, "records": String(records.count), "target_rate": String(options.targetRate),
      "segment_len": String(options.segmentLength), "records_per_shard": String(perShard),
      "first_record": records.first?.path ?? "", "last_record": records.last?.path ?? "",
    ]
    // Recorded only when not the standard order, so unfinished runs of earlier versions still resume.
    let leadOrder = source.storedLeadOrder
    if leadOrder != StandardLeads.names { settings["leads"] = leadOrder.joined(separator: " ") }
    settings.merge(try source.recordSettings()) { _, new in new }
    let writer = try StoreWriter(
      url: output, settings: settings, segmentLength: options.segmentLength, leads: leadOrder,
      overwrite: options.overwrite, inputs: inputs, createdBy: createdBy,
      estimatedBytes: estimatedBytes(source: source, records: records.count, options: options))
    let processor = RecordProcessor(
      targetRate: options.targetRate, segmentLength: options.segmentLength, leadOrder: leadOrder)
    let pending = (0..<shardCount).filter { !writer.isShardDone($0) }
    let start = Date()
    var done = (shardCount - pending.count) * perShard
    var doneThisRun = 0
    var lastReport = Date.distantPast
    try await withThrowingTaskGroup(of: Int.self) { group in
      var next = pending.makeIterator()
      func add() -> Bool {
        guard !Task.isCancelled, let shard = next.next() else { return false }
        let lower = shard * perShard
        let slice = Array(records[lower..<(lower + min(perShard, records.count - lower))])
        group.addTask {
          var summary = PreprocessSummary()
          let sink = try writer.openShard(shard)
          for record in slice {
            try Task.checkCancellation()
            summary.recordsRead += 1
            do {
              for window in try processor.process(record, source: source, summary: &summary) { try sink.append(window) }
            } catch let skip as RecordSkip {
              summary.skip(skip)
            }
          }
          summary.windowsWritten = sink.count
          try sink.finish(summary: summary)
          return slice.count
        }
        return true
      }
      for _ in 0..<max(1, options.workers) where !add() { break }
      while let finished = try await group.next() {
        done += finished
        doneThisRun += finished
        let now = Date()
        if now.timeIntervalSince(lastReport) >= 0.25 || done >= records.count {
          lastReport = now
          onProgress(
            PreprocessProgress(
              recordsDone: min(done, records.count), recordsTotal: records.count, recordsThisRun: doneThisRun,
              elapsed: now.timeIntervalSince(start)))
        }
        _ = add()
      }
    }
    // A cancelled run leaves its finished shards in `<store>.partial` for the next run.
    try Task.checkCancellation()
    return try writer.finish(
      shardCount: shardCount, samplingRate: options.targetRate, policy: options.splitPolicy, seed: options.seed,
      createdBy: createdBy)
  }
}
