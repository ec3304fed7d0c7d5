import Foundation

/// A multi-segment WFDB record (`name/nseg` header): its segments' signals joined end to end in
/// physical units, matched by signal name. Null segments (`~`) and signals a segment lacks are NaN.
/// A first segment of length 0 is the layout header that names every signal.
public struct WFDBSegmentedRecord: Sendable {
  /// Record name.
  public var recordName: String
  /// Frames per second.
  public var samplingFrequency: Double
  /// Signal names, from the layout header or the first segment.
  public var signalNames: [String]
  /// Units per signal.
  public var units: [String]
  /// Physical values per signal, one per frame over all segments.
  public var physical: [[Double]]
  /// Comment lines of the master header.
  public var comments: [String]

  /// Reads the multi-segment record whose master header is `path` (with or without `.hea`).
  public init(contentsOf path: String) throws {
    let headerPath = path.hasSuffix(".hea") ? path : path + ".hea"
    let folder = URL(fileURLWithPath: headerPath).deletingLastPathComponent()
    guard let data = FileManager.default.contents(atPath: headerPath) else {
      throw WFDBError("cannot read WFDB header \(headerPath): the file is missing or unreadable", kind: .missingFile)
    }
    var lines: [Substring] = []
    var comments: [String] = []
    let text = String(decoding: data, as: UTF8.self)
    for raw in text.utf8.split(whereSeparator: { $0 == 10 || $0 == 13 }) {
      let line = Substring(raw).trimmedSpaces()
      if line.isEmpty { continue }
      if line.utf8.first == UInt8(ascii: "#") {
        comments.append(String(line.dropFirst().trimmedSpaces()))
      } else {
        lines.append(line)
      }
    }
    let fields = lines.first?.split(whereSeparator: { $0 == " " || $0 == "\t" }) ?? []
    let name = fields.first?.split(separator: "/") ?? []
    guard fields.count >= 2, name.count == 2, let segmentCount = Int(name[1]), segmentCount > 0,
      lines.count > segmentCount
    else {
      throw WFDBError(
        "\(headerPath): not a multi-segment header ('NAME/NSEG NSIG FS NSAMP' and one line per segment)",
        kind: .badHeader)
    }
    recordName = String(name[0])
    samplingFrequency = fields.count > 2 ? Double(fields[2].split(separator: "/")[0]) ?? 250 : 250
    self.comments = comments
    var segments: [(name: String, frames: Int)] = []
    for line in lines[1...segmentCount] {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard parts.count >= 2, let frames = Int(parts[1]), frames >= 0, frames <= 1 << 40 else {
        throw WFDBError("\(headerPath): bad segment line '\(line)'", kind: .badHeader)
      }
      segments.append((String(parts[0]), frames))
    }
    var names: [String] = []
    var units: [String] = []
    if let layout = segments.first, layout.frames == 0, layout.name != "~" {
      let header = try WFDBHeader(contentsOf: folder.appendingPathComponent(layout.name + ".hea"))
      names = header.signals.map(\.description)
      units = header.signals.map(\.units)
      segments.removeFirst()
    }
    var physical: [[Double]] = []
    for segment in segments {
      guard segment.name != "~" else {
        for k in physical.indices { physical[k] += [Double](repeating: .nan, count: segment.frames) }
        continue
      }
      let record = try WFDBRecord(contentsOf: folder.appendingPathComponent(segment.name).path)
      if names.isEmpty {
        names = record.header.signals.map(\.description)
        units = record.header.signals.map(\.units)
      }
      if physical.isEmpty {
        // Null segments before the first real one: their length is known only now that the signals are.
        let before = segments.prefix { $0.name != segment.name }.reduce(0) { $0 + $1.frames }
        physical = names.map { _ in [Double](repeating: .nan, count: before) }
      }
      let frames = record.numberOfFrames
      guard frames == segment.frames else {
        throw WFDBError(
          "\(segment.name): \(frames) frames, but the master header \(headerPath) says \(segment.frames)",
          kind: .badHeader)
      }
      let segmentNames = record.header.signals.map(\.description)
      for (k, signal) in names.enumerated() {
        if let index = segmentNames.firstIndex(of: signal) {
          physical[k] += record.physical(index)
        } else {
          physical[k] += [Double](repeating: .nan, count: frames)
        }
      }
    }
    signalNames = names
    self.units = units
    self.physical = physical
  }
}
