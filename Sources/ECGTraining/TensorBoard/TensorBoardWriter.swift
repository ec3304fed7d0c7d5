import Foundation

/// Writes TensorBoard scalar event files (`events.out.tfevents.<time>.<host>`) that `tensorboard --logdir`
/// shows, with no dependency: TFRecord framing (length uint64, masked CRC-32C of the length, the data, masked
/// CRC-32C of the data) around `tensorflow.Event` protobufs encoded by hand:
///
///     Event { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
///     Summary { repeated Value value = 1; }  Value { string tag = 1; float simple_value = 2; }
public final class TensorBoardWriter {
  /// The event file.
  public let url: URL
  private let handle: FileHandle

  /// Creates a new event file in `directory` and writes the file-version event first, as TensorFlow does.
  public init(directory: URL, now: Date = Date()) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let host = ProcessInfo.processInfo.hostName
    let seconds = Int(now.timeIntervalSince1970)
    var candidate = directory.appendingPathComponent("events.out.tfevents.\(seconds).\(host)")
    // A resumed run started in the same second gets its own file; TensorBoard reads them all.
    var suffix = 1
    while FileManager.default.fileExists(atPath: candidate.path) {
      candidate = directory.appendingPathComponent("events.out.tfevents.\(seconds).\(host).\(suffix)")
      suffix += 1
    }
    url = candidate
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
    handle = try FileHandle(forWritingTo: url)
    var event = ProtobufEncoder()
    event.double(1, now.timeIntervalSince1970)
    event.string(3, "brain.Event:2")
    try write(record: event.bytes)
  }

  deinit { try? handle.close() }

  /// Appends one event holding `scalars` (tag → value) at `step`.
  public func add(scalars: [(tag: String, value: Double)], step: Int, wallTime: Date = Date()) throws {
    var summary = ProtobufEncoder()
    for (tag, value) in scalars {
      var entry = ProtobufEncoder()
      entry.string(1, tag)
      entry.float(2, Float(value))
      summary.bytes(1, entry.bytes)
    }
    var event = ProtobufEncoder()
    event.double(1, wallTime.timeIntervalSince1970)
    event.int64(2, Int64(step))
    event.bytes(5, summary.bytes)
    try write(record: event.bytes)
  }

  /// One TFRecord: length, masked CRC of the length, data, masked CRC of the data (all little-endian).
  private func write(record data: [UInt8]) throws {
    var framed: [UInt8] = []
    framed.reserveCapacity(data.count + 16)
    let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Array($0) }
    framed += length
    withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { framed += $0 }
    framed += data
    withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { framed += $0 }
    try handle.write(contentsOf: framed)
  }
}
