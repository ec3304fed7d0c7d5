import Foundation

/// A WFDB record read into memory: the header and every signal's digital samples.
public struct WFDBRecord: Sendable {
  /// The parsed header.
  public var header: WFDBHeader
  /// Digital samples per signal, in header order, at the signal's own rate
  /// (`numberOfFrames * samplesPerFrame` values each).
  public var digital: [[Int32]]

  /// Frames per signal.
  public var numberOfFrames: Int { header.numberOfFrames ?? 0 }

  /// Creates a record from a header and digital samples.
  public init(header: WFDBHeader, digital: [[Int32]]) {
    self.header = header
    self.digital = digital
  }

  /// Reads the record whose header is `path` (with or without the `.hea` extension);
  /// data files are looked up next to the header.
  public init(contentsOf path: String) throws {
    let headerPath = path.hasSuffix(".hea") ? path : path + ".hea"
    let headerURL = URL(fileURLWithPath: headerPath)
    let header = try WFDBHeader(contentsOf: headerURL)
    let folder = headerURL.deletingLastPathComponent()
    try self.init(header: header, folder: folder)
  }

  /// Reads the data files of `header` from `folder`.
  public init(header: WFDBHeader, folder: URL) throws {
    try self.init(header: header) { name in
      let path = folder.appendingPathComponent(name).path
      return (FileManager.default.contents(atPath: path), path)
    }
  }

  /// Decodes the data files of `header` held in memory, keyed by the file names the header gives
  /// (for records that do not live in files, and for fuzzing the decoder).
  public init(header: WFDBHeader, dataFiles: [String: Data]) throws {
    try self.init(header: header) { (dataFiles[$0], $0) }
  }

  /// Decodes the data files of `header`; `dataFile` returns a file's bytes (nil when missing) and the path that names
  /// it in error messages.
  private init(header: WFDBHeader, dataFile: (String) -> (data: Data?, path: String)) throws {
    var header = header
    var digital = [[Int32]](repeating: [], count: header.signals.count)
    // Signals sharing a file are interleaved frame by frame, in header order.
    var files: [(name: String, signals: [Int])] = []
    for (index, signal) in header.signals.enumerated() {
      if let at = files.firstIndex(where: { $0.name == signal.fileName }) {
        files[at].signals.append(index)
      } else {
        files.append((signal.fileName, [index]))
      }
    }
    var frames = header.numberOfFrames
    for file in files {
      let specs = file.signals.map { header.signals[$0] }
      let format = specs[0].format
      guard specs.allSatisfy({ $0.format == format }) else {
        throw WFDBError(
          "\(file.name): signals with different formats in one data file are not supported", kind: .unsupportedFormat)
      }
      let (contents, path) = dataFile(file.name)
      guard let data = contents else {
        throw WFDBError(
          "missing data file \(path) (named by the header of record \(header.recordName))", kind: .missingFile)
      }
      let offset = specs[0].byteOffset
      let perFrame = specs.reduce(0) { $0 + $1.samplesPerFrame }
      let available = max(0, data.count - offset)
      if frames == nil {
        frames = (available / format.group.bytes) * format.group.samples / perFrame
      }
      let skew = specs.map(\.skew).max() ?? 0
      guard !frames!.multipliedReportingOverflow(by: perFrame).overflow else {
        throw WFDBError(
          "\(path): \(frames!) frames of \(perFrame) samples is not a plausible record size", kind: .badHeader)
      }
      let wanted = frames! + skew
      // A file may stop before the skewed tail; frames past its end are missing samples.
      let storedFrames = min(wanted, available * format.group.samples / format.group.bytes / perFrame)
      let count = storedFrames * perFrame
      if storedFrames < frames! {
        throw WFDBError(
          "truncated data file \(path): \(frames!) frames need \(format.byteCount(samples: frames! * perFrame)) bytes after offset \(offset), found \(available)",
          kind: .truncated)
      }
      let frameCount = frames!
      if frameCount == 0 {
        for index in file.signals { digital[index] = [] }
        continue
      }
      if WFDBDecoder.canGather(format) && specs.allSatisfy({ $0.skew == 0 }) {
        // Fast path (format 16 and friends, no skew): decode each signal straight from the file bytes.
        data.withUnsafeBytes { raw in
          let base = raw.baseAddress! + offset
          var column = 0
          for (index, spec) in zip(file.signals, specs) {
            let spf = spec.samplesPerFrame
            digital[index] = [Int32](unsafeUninitializedCapacity: frameCount * spf) { buffer, initialized in
              WFDBDecoder.gather(
                base, format: format, column: column, perFrame: perFrame, samplesPerFrame: spf, frames: frameCount,
                into: buffer.baseAddress!)
              initialized = frameCount * spf
            }
            column += spf
          }
        }
        continue
      }
      let groups = (count + format.group.samples - 1) / format.group.samples
      var padded = [UInt8](repeating: 0, count: groups * format.group.bytes)
      let copy = min(padded.count, available)
      if copy > 0 {
        data.withUnsafeBytes { raw in
          padded.withUnsafeMutableBytes { dst in
            dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + copy)]))
          }
        }
      }
      let initial = specs.map { Int32(truncatingIfNeeded: $0.initialValue) }
      let slots = specs.indices.flatMap { [Int](repeating: $0, count: specs[$0].samplesPerFrame) }
      let stream = padded.withUnsafeBytes {
        WFDBDecoder.decode($0, format: format, count: count, slots: slots, initialValues: initial)
      }
      var column = 0
      for (index, spec) in zip(file.signals, specs) {
        let spf = spec.samplesPerFrame
        let skew = spec.skew
        var values = [Int32](repeating: format.missingValue, count: frameCount * spf)
        stream.withUnsafeBufferPointer { s in
          values.withUnsafeMutableBufferPointer { v in
            for frame in 0..<max(0, min(frameCount, storedFrames - skew)) {
              let base = (frame + skew) * perFrame + column
              for k in 0..<spf { v[frame * spf + k] = s[base + k] }
            }
          }
        }
        digital[index] = values
        column += spf
      }
    }
    header.numberOfFrames = frames ?? 0
    self.header = header
    self.digital = digital
  }

  /// Physical values of signal `index`, one per sample at the signal's own rate:
  /// (digital - baseline) / gain, with WFDB's missing-value sentinel as NaN.
  public func physicalSamples(_ index: Int) -> [Double] {
    let spec = header.signals[index]
    let missing = spec.format.missingValue
    let baseline = Double(spec.baseline)
    let gain = spec.gain
    let values = digital[index]
    return [Double](unsafeUninitializedCapacity: values.count) { out, initialized in
      values.withUnsafeBufferPointer { d in
        for i in 0..<d.count { out[i] = d[i] == missing ? .nan : (Double(d[i]) - baseline) / gain }
      }
      initialized = values.count
    }
  }

  /// Physical values of signal `index`, one per frame, as the WFDB reference reader's smoothed frames (wfdb
  /// `rdrecord`, `smooth_frames=True`).
  ///
  /// A frame's several samples are averaged first and the mean is kept as an integer, truncated toward zero (wfdb
  /// stores it back in the digital array), then converted: (mean - baseline) / gain. A frame whose mean is the
  /// missing-value sentinel is NaN; like wfdb, a frame with only some missing samples averages the sentinel in.
  /// Signals with one sample per frame give ``physicalSamples(_:)``.
  public func physical(_ index: Int) -> [Double] {
    let spec = header.signals[index]
    let spf = spec.samplesPerFrame
    guard spf > 1 else { return physicalSamples(index) }
    let missing = Int(spec.format.missingValue)
    let baseline = Double(spec.baseline)
    let gain = spec.gain
    let values = digital[index]
    return values.withUnsafeBufferPointer { d in
      (0..<(d.count / spf)).map { frame in
        var sum = 0
        for k in 0..<spf { sum += Int(d[frame * spf + k]) }
        let mean = sum / spf  // Swift's integer division truncates toward zero, as wfdb's cast to the digital dtype
        return mean == missing ? .nan : (Double(mean) - baseline) / gain
      }
    }
  }
}
