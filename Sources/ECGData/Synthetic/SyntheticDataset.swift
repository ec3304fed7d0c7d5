import Foundation

/// Writes synthetic ECGs into a dataset store (see `StoreWriter`): one 2500-sample window per record,
/// source `synthetic`, patient id = record id, split seeded 70/10/20 per record (`SplitPolicy.patient`).
public enum SyntheticDataset {
  /// The store's source name.
  public static let sourceName = "synthetic"

  /// The store entry of one synthetic record.
  public static func storedWindow(_ ecg: SyntheticECG, seed: UInt64) -> StoredWindow {
    let metadata = WindowMetadata(
      recordID: ecg.recordID, source: sourceName, path: "\(sourceName)/seed-\(seed)/\(ecg.index)",
      patientID: ecg.recordID, report: ecg.report,
      labels: Dictionary(uniqueKeysWithValues: ecg.labels.map { ($0, 1.0) }),
      classes: ecg.labels, originalRate: ecg.samplingRate, leadNames: ecg.leadNames,
      leadMask: [Bool](repeating: true, count: ecg.leadNames.count), window: 0, referenceStem: ecg.recordID)
    let key = SplitKey(
      source: sourceName, record: ecg.recordID, patient: ecg.recordID, official: nil,
      referenceFile: ecg.recordID + "_0.npy")
    return StoredWindow(values: ecg.leadMajorValues, metadata: metadata, splitKey: key)
  }

  /// Generates records `0..<count` of `seed` into the store at `url`, `recordsPerShard` at a time, each
  /// shard in parallel on `threads` workers. A re-run with the same settings resumes after the shards
  /// already finished (damaged ones are written again). The estimated size (120 kB per record) is checked
  /// against the free disk space first. `progress` receives the records done so far and how many of them
  /// an earlier run had finished.
  @discardableResult
  public static func write(
    count: Int, seed: UInt64, to url: URL, recordsPerShard: Int = 1024, threads: Int? = nil, overwrite: Bool = false,
    createdBy: String = "ecg data synth", progress: (_ done: Int, _ resumed: Int) -> Void = { _, _ in }
  ) throws -> StoreManifest {
    precondition(count > 0 && recordsPerShard > 0, "count and recordsPerShard must be positive")
    let generator = SyntheticECGGenerator(seed: seed)
    let settings = [
      "source": sourceName, "seed": String(seed), "count": String(count), "records_per_shard": String(recordsPerShard),
      "segment_len": String(generator.sampleCount), "sampling_rate": String(generator.samplingRate),
    ]
    let recordBytes = LeadSystem.names.count * generator.sampleCount * 4 + 1024  // samples and an index line
    let (bytes, overflow) = count.multipliedReportingOverflow(by: recordBytes)
    let writer = try StoreWriter(
      url: url, settings: settings, segmentLength: generator.sampleCount, leads: LeadSystem.names, overwrite: overwrite,
      createdBy: createdBy, estimatedBytes: overflow ? Int.max : bytes)
    let shardCount = count / recordsPerShard + (count % recordsPerShard == 0 ? 0 : 1)
    var resumed = 0
    for shard in 0..<shardCount {
      let lower = shard * recordsPerShard
      let range = lower..<(lower + min(recordsPerShard, count - lower))
      if writer.isShardDone(shard) {
        resumed += range.count
      } else {
        let windows = generator.records(range, threads: threads).map { storedWindow($0, seed: seed) }
        var summary = PreprocessSummary()
        summary.recordsRead = windows.count
        summary.windowsWritten = windows.count
        try writer.writeShard(shard, windows: windows, summary: summary)
      }
      progress(range.upperBound, resumed)
    }
    return try writer.finish(
      shardCount: shardCount, samplingRate: generator.samplingRate, policy: .patient,
      seed: Int(truncatingIfNeeded: seed),
      createdBy: createdBy)
  }
}
