import ECGTokenizer
import Foundation

/// Deterministic ECG-like windows for `ecg bench tokenizer` (12 leads × 2500 samples at 250 Hz): a P-QRS-T beat
/// template per lead with varying heart rate, gain, baseline wander and noise, so symbol statistics resemble real
/// windows (long runs, repeated beat shapes) rather than uniform noise.
struct TokenizerBenchData {
  static let leads = 12
  static let samples = 2500

  private var state: UInt64

  init(seed: UInt64) { state = seed &+ 0x9e37_79b9_7f4a_7c15 }

  private mutating func uniform() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }

  /// One window, lead-major.
  mutating func window() -> [Float] {
    let heartRate = 50 + 60 * uniform()
    let beat = 60 / heartRate * 250
    let phase = uniform() * beat
    let wanderFrequency = 0.1 + 0.3 * uniform()
    var output = [Float](repeating: 0, count: Self.leads * Self.samples)
    for lead in 0..<Self.leads {
      let gain = 0.4 + 1.2 * uniform()
      let sign: Double = lead == 3 ? -1 : 1  // aVR is mostly negative
      let wander = 0.05 + 0.15 * uniform()
      for sample in 0..<Self.samples {
        let t = (Double(sample) + phase).truncatingRemainder(dividingBy: beat) / beat
        var value =
          0.15 * gaussian(t, 0.15, 0.025) - 0.12 * gaussian(t, 0.27, 0.008) + 1.0 * gaussian(t, 0.3, 0.01)
          - 0.25 * gaussian(t, 0.33, 0.01) + 0.3 * gaussian(t, 0.55, 0.05)
        value = sign * gain * value + wander * sin(2 * .pi * wanderFrequency * Double(sample) / 250)
        value += 0.01 * (uniform() - 0.5)
        output[lead * Self.samples + sample] = Float(value)
      }
    }
    return output
  }

  private func gaussian(_ t: Double, _ centre: Double, _ width: Double) -> Double {
    let z = (t - centre) / width
    return exp(-0.5 * z * z)
  }

  /// `count` windows symbolised as the `bpe_symbolic` representation (float32).
  static func symbolWindows(_ count: Int, seed: UInt64 = 1) -> [[UInt8]] {
    var data = TokenizerBenchData(seed: seed)
    return (0..<count).map { _ in Symbolizer.symbolize(data.window(), precision: .float32).symbols }
  }
}
