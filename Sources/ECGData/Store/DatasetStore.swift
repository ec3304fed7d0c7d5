import ECGCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Read access to a dataset store folder (format in `docs/data.md`): memory-mapped float32 shards,
/// a JSON-lines index read lazily line by line, and a one-byte-per-window split column.
///
/// Opening maps the files and finds the index's line starts; no window or metadata is decoded
/// until asked for, so random access costs one copy (or none with `withWindow`).
public final class DatasetStore: Sendable {
  /// The store folder.
  public let url: URL
  /// The parsed `store.json`.
  public let manifest: StoreManifest
  private let shards: [MappedFile]
  /// First global window index of each shard, plus the total at the end.
  private let shardStarts: [Int]
  private let index: MappedFile
  private let lineStarts: [Int]
  private let splitColumn: MappedFile

  /// Number of windows.
  public var count: Int { manifest.windowCount }
  /// Leads per window.
  public var leadCount: Int { manifest.leads.count }
  /// Samples per lead.
  public var segmentLength: Int { manifest.segmentLength }
  /// Floats per window (`leadCount * segmentLength`).
  public var windowSize: Int { leadCount * segmentLength }

  /// Opens the store at `url`; throws when it is unfinished, of another version, or inconsistent.
  public init(url: URL) throws {
    self.url = url
    let manifest = try StoreManifest(store: url)
    self.manifest = manifest
    let windowBytes = manifest.leads.count * manifest.segmentLength * 4
    var starts = [0]
    var maps: [MappedFile] = []
    for shard in manifest.shards {
      let file = try MappedFile(path: url.appendingPathComponent(shard.file).path)
      guard file.bytes.count == shard.windows * windowBytes else {
        throw Self.damaged(
          "\(shard.file) has \(file.bytes.count) bytes, expected \(shard.windows * windowBytes)", url: url,
          manifest: manifest)
      }
      maps.append(file)
      starts.append(starts.last! + shard.windows)
    }
    guard starts.last! == manifest.windowCount else {
      throw StoreError(
        "\(url.appendingPathComponent("store.json").path): shards hold \(starts.last!) windows but window_count is \(manifest.windowCount)"
      )
    }
    shards = maps
    shardStarts = starts
    index = try MappedFile(path: url.appendingPathComponent("index.jsonl").path)
    var lines: [Int] = []
    lines.reserveCapacity(manifest.windowCount + 1)
    lines.append(0)
    if let base = index.bytes.baseAddress {
      var offset = 0
      while offset < index.bytes.count,
        let hit = memchr(base + offset, Int32(UInt8(ascii: "\n")), index.bytes.count - offset)
      {
        offset = UnsafeRawPointer(hit) - base + 1
        lines.append(offset)
      }
    }
    guard lines.count == manifest.windowCount + 1 else {
      throw Self.damaged(
        "index.jsonl has \(lines.count - 1) lines for \(manifest.windowCount) windows", url: url, manifest: manifest)
    }
    lineStarts = lines
    splitColumn = try MappedFile(path: url.appendingPathComponent("splits.u8").path)
    guard splitColumn.bytes.count == manifest.windowCount else {
      throw Self.damaged(
        "splits.u8 has \(splitColumn.bytes.count) bytes for \(manifest.windowCount) windows", url: url,
        manifest: manifest)
    }
  }

  /// A part of the store that does not fit its manifest, named with the store and how it was made.
  private static func damaged(_ problem: String, url: URL, manifest: StoreManifest) -> StoreError {
    StoreError(
      "\(url.path): \(problem); the store is damaged: re-create it"
        + (manifest.createdBy.isEmpty ? "" : " (it was made by `\(manifest.createdBy)`)"))
  }

  /// Opens the store at `path`.
  public convenience init(path: String) throws { try self.init(url: URL(fileURLWithPath: path)) }

  private func locate(_ i: Int) -> (shard: Int, row: Int) {
    precondition(i >= 0 && i < count, "window \(i) out of range 0..<\(count)")
    var low = 0
    var high = shards.count - 1
    while low < high {
      let mid = (low + high + 1) / 2
      if shardStarts[mid] <= i { low = mid } else { high = mid - 1 }
    }
    return (low, i - shardStarts[low])
  }

  /// Calls `body` with window `i` in place (lead-major: lead `c`, sample `t` at `c * segmentLength + t`).
  /// The buffer is valid only during the call.
  public func withWindow<R>(at i: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    let (shard, row) = locate(i)
    let base = shards[shard].bytes.baseAddress! + row * windowSize * 4
    return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: windowSize))
  }

  /// Window `i` as a lead-major array of `leadCount * segmentLength` floats.
  public func window(at i: Int) -> [Float] {
    withWindow(at: i) { Array($0) }
  }

  /// Copies windows `indices` one after another into `destination` (`indices.count * windowSize` floats),
  /// the layout of a `[batch, leads, samples]` tensor.
  public func copyWindows(_ indices: [Int], into destination: UnsafeMutableBufferPointer<Float>) {
    precondition(
      destination.count >= indices.count * windowSize,
      "destination holds \(destination.count) floats, need \(indices.count * windowSize)")
    for (k, i) in indices.enumerated() {
      withWindow(at: i) { source in
        (destination.baseAddress! + k * windowSize).update(from: source.baseAddress!, count: windowSize)
      }
    }
  }

  /// The position of the first NaN or infinite sample of window `i` (lead-major), or nil when all are finite.
  public func firstNonFiniteSample(inWindow i: Int) -> Int? {
    withWindow(at: i) { SampleStatistics.firstNonFinite($0) }
  }

  /// The split of window `i`.
  public func split(at i: Int) -> Split {
    Split(code: splitColumn.bytes[i]) ?? .train
  }

  /// Indices of the windows in `split`, ascending.
  public func indices(in split: Split) -> [Int] {
    let code = split.code
    return splitColumn.bytes.indices.filter { splitColumn.bytes[$0] == code }
  }

  /// The metadata of window `i` (decoded from its index line).
  public func metadata(at i: Int) throws -> WindowMetadata {
    precondition(i >= 0 && i < count, "window \(i) out of range 0..<\(count)")
    let line = UnsafeRawBufferPointer(rebasing: index.bytes[lineStarts[i]..<(lineStarts[i + 1] - 1)])
    do {
      return try JSONDecoder().decode(WindowMetadata.self, from: Data(line))
    } catch {
      throw StoreError("index.jsonl line \(i + 1) is not valid window metadata: \(error)")
    }
  }

  /// Recomputes every checksum; throws naming the first file that does not match.
  public func verify() throws {
    for (shard, file) in zip(manifest.shards, shards) where XXHash64.hex(file.bytes) != shard.xxh64 {
      throw StoreError("\(shard.file): checksum mismatch, the shard is damaged; re-create the store")
    }
    guard XXHash64.hex(index.bytes) == manifest.indexXXH64 else { throw StoreError("index.jsonl: checksum mismatch") }
    guard XXHash64.hex(splitColumn.bytes) == manifest.splitsXXH64 else {
      throw StoreError("splits.u8: checksum mismatch")
    }
  }
}
