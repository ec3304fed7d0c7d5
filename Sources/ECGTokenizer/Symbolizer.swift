/// ECG-Byte symbolisation: instance min-max normalisation, 26-level quantisation to `a`…`z`, lead-major flattening.
///
/// A window of L samples per lead (lead-major: all of lead 0, then lead 1, …) becomes one string of the same length,
/// each byte in ASCII 97…122. `desymbolize` maps symbols back to bin centres and undoes the normalisation.
public enum Symbolizer {
  /// The 26 symbols, in quantisation order.
  public static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz".utf8)
  /// Added to the denominator of the normalisation, as the reference's `--norm_eps`.
  public static let epsilon = 1e-6
  public static let levels = 26

  /// Which arithmetic the reference uses.
  public enum Precision: Sendable {
    /// The framework's `bpe_symbolic` representation: float32 arithmetic, denominator computed in double then
    /// rounded to float32.
    case float32
    /// The tokenizer training corpus (ecg_preprocess): float64 throughout.
    case float64
  }

  /// A symbolised window: its symbols and the extremes needed to undo the normalisation.
  public struct Result: Sendable, Equatable {
    public var symbols: [UInt8]
    public var minimum: Double
    public var maximum: Double
  }

  /// Symbolises `signal` (the whole window, normalised together). An empty signal gives no symbols.
  public static func symbolize(_ signal: [Float], precision: Precision = .float32) -> Result {
    guard !signal.isEmpty else { return Result(symbols: [], minimum: 0, maximum: 0) }
    let (low, high) = signal.withUnsafeBufferPointer { FloatExtremes.of($0)! }
    var symbols = [UInt8](repeating: 0, count: signal.count)
    switch precision {
    case .float32:
      let denominator = Float(Double(high) - Double(low) + epsilon)
      for (index, value) in signal.enumerated() {
        symbols[index] = symbol(forNormalized: Swift.min(Swift.max((value - low) / denominator, 0), 1) * 26)
      }
    case .float64:
      let lowValue = Double(low)
      let denominator = Double(high) - lowValue + epsilon
      for (index, value) in signal.enumerated() {
        symbols[index] = symbol(
          forNormalized: Swift.min(Swift.max((Double(value) - lowValue) / denominator, 0), 1) * 26)
      }
    }
    return Result(symbols: symbols, minimum: Double(low), maximum: Double(high))
  }

  /// Symbolises a float64 signal with float64 arithmetic (the training corpus from the reference's `.npy` records).
  public static func symbolize(_ signal: [Double]) -> Result {
    guard let low = signal.min(), let high = signal.max() else { return Result(symbols: [], minimum: 0, maximum: 0) }
    let denominator = high - low + epsilon
    let symbols = signal.map { symbol(forNormalized: Swift.min(Swift.max(($0 - low) / denominator, 0), 1) * 26) }
    return Result(symbols: symbols, minimum: low, maximum: high)
  }

  // One overload per precision: a generic `Int(scaled)` is not specialised and went through the stdlib's
  // generic conversion (a third of the loader's `bpe_symbolic` time).
  @inline(__always)
  private static func symbol(forNormalized scaled: Float) -> UInt8 {
    // NaN compares false everywhere and ends as level 0, like NumPy's cast of a clipped NaN on x86.
    let level = scaled >= 25 ? 25 : (scaled > 0 ? Int(scaled) : 0)
    return 97 &+ UInt8(truncatingIfNeeded: level)
  }

  @inline(__always)
  private static func symbol(forNormalized scaled: Double) -> UInt8 {
    let level = scaled >= 25 ? 25 : (scaled > 0 ? Int(scaled) : 0)
    return 97 &+ UInt8(truncatingIfNeeded: level)
  }

  /// The bin centres of `symbols`, denormalised with the window's `minimum` and `maximum` (float32, as the
  /// reference decodes forecasts). Bytes other than `a`…`z` count as level 0, as in the reference.
  public static func desymbolize(_ symbols: some Sequence<UInt8>, minimum: Double, maximum: Double) -> [Float] {
    let scale = Float(maximum - minimum + epsilon)
    let offset = Float(minimum)
    return symbols.map { byte in
      // (q + 0.5) / 26 is computed in double and rounded, as NumPy does with the uint8 levels.
      let level: Double = (97...122).contains(byte) ? Double(byte - 97) : 0
      let centre = Float(Swift.min(Swift.max((level + 0.5) / 26, 0), 1))
      return centre * scale + offset
    }
  }
}
