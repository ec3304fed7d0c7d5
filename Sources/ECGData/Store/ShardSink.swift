import Foundation

/// One shard being written: float32 data appended to `NNNNN.f32.tmp`, index lines and split keys kept
/// in memory; `finish` checksums the data, renames it into place and writes the done marker last.
public final class ShardSink {
  private let folder: URL
  private let name: String
  private let windowSize: Int
  private let leads: [String]
  private let handle: FileHandle
  private let temporaryURL: URL
  private var lines = Data()
  private var keys: [SplitKey] = []
  private var statistics = StoreStatistics()
  private let encoder = JSONEncoder()

  init(folder: URL, name: String, leads: [String], segmentLength: Int) throws {
    self.folder = folder
    self.name = name
    self.leads = leads
    windowSize = leads.count * segmentLength
    temporaryURL = folder.appendingPathComponent(name + ".f32.tmp")
    guard FileManager.default.createFile(atPath: temporaryURL.path, contents: nil) else {
      throw StoreError(
        "cannot create \(temporaryURL.path): \(FileErrorText.posixReason(errno)); check that the folder is writable")
    }
    let url = temporaryURL
    handle = try FileErrorText.storeError("open", url.path) { try FileHandle(forWritingTo: url) }
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  }

  deinit { try? handle.close() }

  /// Windows appended so far.
  public var count: Int { keys.count }

  /// Appends one window (lead-major, `windowSize` floats) with its index entry.
  public func append(_ window: StoredWindow) throws {
    precondition(window.values.count == windowSize, "window of \(window.values.count) values, expected \(windowSize)")
    let bytes = window.values.withUnsafeBufferPointer { floats in
      // Little-endian on disk; every platform Swift runs this on is little-endian already.
      Data(buffer: UnsafeBufferPointer(start: floats.baseAddress, count: floats.count))
    }
    try FileErrorText.storeError("write", temporaryURL.path) { try handle.write(contentsOf: bytes) }
    lines.append(try encoder.encode(window.metadata))
    lines.append(UInt8(ascii: "\n"))
    keys.append(window.splitKey)
    statistics.count(window.metadata, leads: leads)
  }

  /// Completes the shard: data renamed into place, index lines written, then the done marker.
  public func finish(summary: PreprocessSummary) throws {
    try FileErrorText.storeError("finish", folder.appendingPathComponent(name).path) {
      try finishFiles(summary: summary)
    }
  }

  private func finishFiles(summary: PreprocessSummary) throws {
    try handle.synchronize()
    try handle.close()
    let mapped = try MappedFile(path: temporaryURL.path)
    // The mapping must outlive the hash: `bytes` does not keep the file object alive.
    let checksum = withExtendedLifetime(mapped) { XXHash64.hex(mapped.bytes) }
    let dataURL = folder.appendingPathComponent(name + ".f32")
    if FileManager.default.fileExists(atPath: dataURL.path) { try FileManager.default.removeItem(at: dataURL) }
    try FileManager.default.moveItem(at: temporaryURL, to: dataURL)
    try lines.write(to: folder.appendingPathComponent(name + ".jsonl"), options: .atomic)
    let record = StoreWriter.ShardRecord(
      windows: keys.count, xxh64: checksum, summary: summary, statistics: statistics, keys: keys)
    try encoder.encode(record).write(to: folder.appendingPathComponent(name + ".done.json"), options: .atomic)
  }
}
