import Foundation

/// One signal line of a WFDB header.
public struct WFDBSignalSpec: Sendable, Equatable {
  /// Data file name, relative to the header's folder.
  public var fileName: String
  /// Storage format.
  public var format: WFDBFormat
  /// Samples of this signal in each frame (1 unless the signal is oversampled).
  public var samplesPerFrame: Int
  /// Frames by which this signal lags the frame it belongs to.
  public var skew: Int
  /// Bytes to skip at the start of the data file (e.g. 24 for Challenge `.mat` files).
  public var byteOffset: Int
  /// ADC units per physical unit; WFDB's default of 200 when the header says 0 or nothing.
  public var gain: Double
  /// Digital value corresponding to 0 physical units.
  public var baseline: Int
  /// Physical units (default `mV`).
  public var units: String
  /// ADC resolution in bits (0 when unknown).
  public var adcResolution: Int
  /// ADC output for 0 V input.
  public var adcZero: Int
  /// The first sample's value (used by format 8 differences).
  public var initialValue: Int
  /// 16-bit checksum of all samples, when given.
  public var checksum: Int?
  /// Block size in bytes (0 for ordinary files).
  public var blockSize: Int
  /// The signal's name (description field), e.g. `II`.
  public var description: String

  /// Creates a signal specification; `baseline` defaults to `adcZero` as in WFDB.
  public init(
    fileName: String, format: WFDBFormat, samplesPerFrame: Int = 1, skew: Int = 0, byteOffset: Int = 0,
    gain: Double = 200, baseline: Int? = nil, units: String = "mV", adcResolution: Int = 0, adcZero: Int = 0,
    initialValue: Int = 0, checksum: Int? = nil, blockSize: Int = 0, description: String
  ) {
    self.fileName = fileName
    self.format = format
    self.samplesPerFrame = samplesPerFrame
    self.skew = skew
    self.byteOffset = byteOffset
    self.gain = gain
    self.baseline = baseline ?? adcZero
    self.units = units
    self.adcResolution = adcResolution
    self.adcZero = adcZero
    self.initialValue = initialValue
    self.checksum = checksum
    self.blockSize = blockSize
    self.description = description
  }
}

/// A parsed WFDB header (`.hea`): the record line, one line per signal, and the comment lines.
public struct WFDBHeader: Sendable, Equatable {
  /// Record name from the record line.
  public var recordName: String
  /// Frames per second.
  public var samplingFrequency: Double
  /// Counter frequency, when the header gives one.
  public var counterFrequency: Double?
  /// Counter value of sample 0, when given.
  public var baseCounter: Double?
  /// Frames per signal; nil when the header omits it (then the data file's size decides).
  public var numberOfFrames: Int?
  /// Time of day of sample 0 (`HH:MM:SS`), when given.
  public var baseTime: String?
  /// Date of sample 0 (`DD/MM/YYYY`), when given.
  public var baseDate: String?
  /// The signals in header order.
  public var signals: [WFDBSignalSpec]
  /// Comment lines without their `#` and surrounding spaces.
  public var comments: [String]

  /// Creates a header.
  public init(
    recordName: String, samplingFrequency: Double, counterFrequency: Double? = nil, baseCounter: Double? = nil,
    numberOfFrames: Int?, baseTime: String? = nil, baseDate: String? = nil, signals: [WFDBSignalSpec],
    comments: [String] = []
  ) {
    self.recordName = recordName
    self.samplingFrequency = samplingFrequency
    self.counterFrequency = counterFrequency
    self.baseCounter = baseCounter
    self.numberOfFrames = numberOfFrames
    self.baseTime = baseTime
    self.baseDate = baseDate
    self.signals = signals
    self.comments = comments
  }

  /// Reads and parses the header file at `url`.
  public init(contentsOf url: URL) throws {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw WFDBError("cannot read WFDB header \(url.path): the file is missing or unreadable", kind: .missingFile)
      }
      text = String(decoding: data, as: UTF8.self)
    }
    try self.init(parsing: text, source: url.path)
  }

  /// Parses header text; `source` names the file in error messages.
  public init(parsing text: String, source: String = "header") throws {
    var comments: [String] = []
    var lines: [Substring] = []
    // Byte-level line splitting and trimming: Foundation's string trimming costs more than reading the samples.
    for raw in text.utf8.split(whereSeparator: { $0 == 10 || $0 == 13 }) {
      let line = Substring(raw).trimmedSpaces()
      if line.isEmpty { continue }
      if line.utf8.first == UInt8(ascii: "#") {
        comments.append(String(line.dropFirst().trimmedSpaces()))
      } else if let hash = line.utf8.firstIndex(of: UInt8(ascii: "#")) {
        // A `#` after fields starts a trailing comment.
        lines.append(line[..<hash])
      } else {
        lines.append(line)
      }
    }
    guard let recordLine = lines.first else {
      throw WFDBError("\(source): no record line; a WFDB header starts with 'NAME NSIG FS NSAMP'", kind: .badHeader)
    }
    let fields = recordLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard fields.count >= 2, let count = Int(fields[1]) else {
      throw WFDBError("\(source): bad record line '\(recordLine)'; expected 'NAME NSIG [FS [NSAMP]]'", kind: .badHeader)
    }
    // 0 signals is legal WFDB (a header with no signals); a negative count is not.
    guard count >= 0 else {
      throw WFDBError("\(source): bad number of signals '\(fields[1])' in the record line", kind: .badHeader)
    }
    let nameParts = fields[0].split(separator: "/")
    if nameParts.count > 1 {
      throw WFDBError(
        "\(source): '\(fields[0])' is a multi-segment record; read it with WFDBSegmentedRecord", kind: .multiSegment)
    }
    recordName = String(fields[0])
    samplingFrequency = 250
    if fields.count > 2 {
      let (fs, counter, base) = try Self.parseFrequency(fields[2], source: source)
      samplingFrequency = fs
      counterFrequency = counter
      baseCounter = base
    }
    numberOfFrames = nil
    if fields.count > 3 {
      guard let frames = Int(fields[3]), frames >= 0, frames <= 1 << 40 else {
        throw WFDBError("\(source): bad number of samples '\(fields[3])' in the record line", kind: .badHeader)
      }
      numberOfFrames = frames
    }
    baseTime = fields.count > 4 ? String(fields[4]) : nil
    baseDate = fields.count > 5 ? String(fields[5]) : nil
    guard lines.count - 1 >= count else {
      throw WFDBError(
        "\(source): the record line announces \(count) signals but \(lines.count - 1) signal lines follow",
        kind: .badHeader)
    }
    signals = try lines.dropFirst().prefix(count).map { try Self.parseSignal($0, source: source) }
    self.comments = comments
  }

  private static func parseFrequency(_ field: Substring, source: String) throws -> (Double, Double?, Double?) {
    var text = field
    var base: Double?
    if let open = text.firstIndex(of: "(") {
      guard let close = text[open...].firstIndex(of: ")"),
        let value = Double(text[text.index(after: open)..<close]), value.isFinite
      else {
        throw WFDBError("\(source): bad base counter in '\(field)'", kind: .badHeader)
      }
      base = value
      text = text[..<open]
    }
    let parts = text.split(separator: "/")
    guard let first = parts.first, let fs = Double(first), fs > 0, fs.isFinite else {
      throw WFDBError("\(source): bad sampling frequency '\(field)'", kind: .badHeader)
    }
    var counter: Double?
    if parts.count > 1 {
      guard let value = Double(parts[1]), value > 0, value.isFinite else {
        throw WFDBError("\(source): bad counter frequency in '\(field)'", kind: .badHeader)
      }
      counter = value
    }
    return (fs, counter, base)
  }

  private static func parseSignal(_ line: Substring, source: String) throws -> WFDBSignalSpec {
    // The description (last field) may contain spaces: split only the first eight fields off.
    let fields = line.split(maxSplits: 8, whereSeparator: { $0 == " " || $0 == "\t" })
    guard fields.count >= 2 else {
      throw WFDBError("\(source): bad signal line '\(line)'; expected 'FILE FORMAT ...'", kind: .badHeader)
    }
    let fileName = String(fields[0])
    // format[xspf][:skew][+offset]
    var formatText = fields[1]
    var byteOffset = 0
    var skew = 0
    var spf = 1
    if let plus = formatText.firstIndex(of: "+") {
      guard let value = Int(formatText[formatText.index(after: plus)...]), value >= 0, value <= 1 << 40 else {
        throw WFDBError("\(source): bad byte offset in format '\(fields[1])'", kind: .badHeader)
      }
      byteOffset = value
      formatText = formatText[..<plus]
    }
    if let colon = formatText.firstIndex(of: ":") {
      guard let value = Int(formatText[formatText.index(after: colon)...]), value >= 0, value <= 1 << 32 else {
        throw WFDBError("\(source): bad skew in format '\(fields[1])'", kind: .badHeader)
      }
      skew = value
      formatText = formatText[..<colon]
    }
    if let x = formatText.firstIndex(of: "x") {
      guard let value = Int(formatText[formatText.index(after: x)...]), value >= 1, value <= 1 << 16 else {
        throw WFDBError("\(source): bad samples per frame in format '\(fields[1])'", kind: .badHeader)
      }
      spf = value
      formatText = formatText[..<x]
    }
    guard let code = Int(formatText) else {
      throw WFDBError("\(source): bad format '\(fields[1])'", kind: .badHeader)
    }
    guard let format = WFDBFormat(rawValue: code) else {
      let known = WFDBFormat.allCases.map { String($0.rawValue) }.joined(separator: ", ")
      throw WFDBError(
        "\(source): signal format \(code) is not supported (supported: \(known))", kind: .unsupportedFormat)
    }
    var gain = 200.0
    var baseline: Int?
    var units = "mV"
    if fields.count > 2 {
      var gainText = fields[2]
      if let slash = gainText.firstIndex(of: "/") {
        units = String(gainText[gainText.index(after: slash)...])
        gainText = gainText[..<slash]
      }
      if let open = gainText.firstIndex(of: "(") {
        guard let close = gainText[open...].firstIndex(of: ")"),
          let value = Int(gainText[gainText.index(after: open)..<close])
        else {
          throw WFDBError("\(source): bad baseline in '\(fields[2])'", kind: .badHeader)
        }
        baseline = value
        gainText = gainText[..<open]
      }
      guard let value = Double(gainText), value.isFinite else {
        throw WFDBError("\(source): bad ADC gain '\(fields[2])'", kind: .badHeader)
      }
      if value != 0 { gain = value }
    }
    func integer(_ index: Int, _ name: String) throws -> Int? {
      guard fields.count > index else { return nil }
      guard let value = Int(fields[index]) else {
        throw WFDBError("\(source): bad \(name) '\(fields[index])' in signal line '\(line)'", kind: .badHeader)
      }
      return value
    }
    let resolution = try integer(3, "ADC resolution") ?? 0
    let zero = try integer(4, "ADC zero") ?? 0
    let initial = try integer(5, "initial value") ?? zero
    let checksum = try integer(6, "checksum")
    let blockSize = try integer(7, "block size") ?? 0
    let description = fields.count > 8 ? String(fields[8].trimmedSpaces()) : ""
    return WFDBSignalSpec(
      fileName: fileName, format: format, samplesPerFrame: spf, skew: skew, byteOffset: byteOffset,
      gain: gain, baseline: baseline ?? zero, units: units, adcResolution: resolution, adcZero: zero,
      initialValue: initial, checksum: checksum, blockSize: blockSize, description: description)
  }
}

extension Substring {
  /// Without leading and trailing spaces and tabs.
  func trimmedSpaces() -> Substring {
    let bytes = utf8
    guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 }) else { return self[endIndex...] }
    let last = bytes.lastIndex(where: { $0 != 32 && $0 != 9 })!
    return self[first...last]
  }
}
