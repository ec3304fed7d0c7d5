import Foundation

/// Writes WFDB records in format 16 (one data file, signals interleaved by frame).
public enum WFDBWriter {
  /// One signal to write: its digital samples at its own rate (`frames * samplesPerFrame` values).
  public struct Signal: Sendable {
    /// Signal name (the header's description field).
    public var name: String
    /// Physical units.
    public var units: String
    /// ADC units per physical unit.
    public var gain: Double
    /// Digital value of 0 physical units.
    public var baseline: Int
    /// Samples per frame.
    public var samplesPerFrame: Int
    /// Digital samples; values outside Int16 are an error.
    public var digital: [Int32]

    /// Creates a signal.
    public init(
      name: String, units: String = "mV", gain: Double = 1000, baseline: Int = 0, samplesPerFrame: Int = 1,
      digital: [Int32]
    ) {
      self.name = name
      self.units = units
      self.gain = gain
      self.baseline = baseline
      self.samplesPerFrame = samplesPerFrame
      self.digital = digital
    }

    /// Creates a signal from physical values, rounding `value * gain + baseline`; NaN becomes WFDB's missing value.
    public init(name: String, units: String = "mV", gain: Double = 1000, baseline: Int = 0, physical: [Double]) {
      let digital = physical.map { value -> Int32 in
        guard value.isFinite else { return WFDBFormat.format16.missingValue }
        return Int32(max(-32767, min(32767, (value * gain).rounded() + Double(baseline))))
      }
      self.init(name: name, units: units, gain: gain, baseline: baseline, digital: digital)
    }
  }

  /// Writes `<folder>/<name>.hea` and `<folder>/<name>.dat`; `byteOffset` leaves that many zero bytes
  /// before the samples (as Challenge `.mat` files do with `16+24`). Returns the header path.
  @discardableResult
  public static func write(
    name: String, folder: URL, samplingFrequency: Double, signals: [Signal], comments: [String] = [],
    dataFileName: String? = nil, byteOffset: Int = 0
  ) throws -> URL {
    guard let first = signals.first else { throw WFDBError("cannot write record \(name): it has no signals") }
    let frames = first.digital.count / first.samplesPerFrame
    for signal in signals where signal.digital.count != frames * signal.samplesPerFrame {
      throw WFDBError(
        "cannot write record \(name): signal \(signal.name) has \(signal.digital.count) samples, expected \(frames * signal.samplesPerFrame)"
      )
    }
    let dataName = dataFileName ?? name + ".dat"
    var bytes = [UInt8](repeating: 0, count: byteOffset)
    bytes.reserveCapacity(byteOffset + 2 * signals.reduce(0) { $0 + $1.digital.count })
    for frame in 0..<frames {
      for signal in signals {
        for k in 0..<signal.samplesPerFrame {
          let value = signal.digital[frame * signal.samplesPerFrame + k]
          guard let v = Int16(exactly: value) else {
            throw WFDBError("cannot write record \(name): sample \(value) of \(signal.name) does not fit format 16")
          }
          let u = UInt16(bitPattern: v)
          bytes.append(UInt8(u & 0xFF))
          bytes.append(UInt8(u >> 8))
        }
      }
    }
    func number(_ value: Double) -> String {
      value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
    var lines = ["\(name) \(signals.count) \(number(samplingFrequency)) \(frames)"]
    for signal in signals {
      var format = "16"
      if signal.samplesPerFrame > 1 { format += "x\(signal.samplesPerFrame)" }
      if byteOffset > 0 { format += "+\(byteOffset)" }
      let initial = signal.digital.first.map(Int.init) ?? 0
      let checksum = signal.digital.reduce(Int16(0)) { $0 &+ Int16(truncatingIfNeeded: $1) }
      lines.append(
        "\(dataName) \(format) \(number(signal.gain))(\(signal.baseline))/\(signal.units) 16 0 \(initial) \(checksum) 0 \(signal.name)"
      )
    }
    lines += comments.map { "# " + $0 }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(bytes).write(to: folder.appendingPathComponent(dataName), options: .atomic)
    let headerURL = folder.appendingPathComponent(name + ".hea")
    try (lines.joined(separator: "\n") + "\n").write(to: headerURL, atomically: true, encoding: .utf8)
    return headerURL
  }
}
