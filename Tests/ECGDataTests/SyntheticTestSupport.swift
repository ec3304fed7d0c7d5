import ECGData
import Foundation

/// Simple measurements on synthetic records, independent of the generator's internals.
enum SyntheticMeasure {
  static let leadIndex = Dictionary(uniqueKeysWithValues: LeadSystem.names.enumerated().map { ($1, $0) })

  /// R peaks (sample indices) by a Pan–Tompkins-style detector: a 5-sample moving average (which removes
  /// 50 Hz at 250 Hz and damps 60 Hz), the squared central difference integrated over 80 ms, local
  /// maxima above 30 % of the largest, 250 ms refractory period.
  /// With several leads, their energies are summed (a spatial-velocity detector).
  static func rPeaks(_ leads: [[Float]], rate: Double) -> [Int] {
    let n = leads[0].count
    var energy = [Double](repeating: 0, count: n)
    for lead in leads {
      let x = lead.map(Double.init)
      var smooth = [Double](repeating: 0, count: n)
      for i in 2..<(n - 2) { smooth[i] = (x[i - 2] + x[i - 1] + x[i] + x[i + 1] + x[i + 2]) / 5 }
      for i in 3..<(n - 3) {
        let d = smooth[i + 1] - smooth[i - 1]
        energy[i] += d * d
      }
    }
    let window = Int(0.08 * rate)
    var integrated = [Double](repeating: 0, count: n)
    var sum = 0.0
    for i in 0..<n {
      sum += energy[i]
      if i >= window { sum -= energy[i - window] }
      integrated[i] = sum
    }
    let threshold = 0.3 * (integrated.max() ?? 0)
    let refractory = Int(0.25 * rate)
    var peaks: [Int] = []
    var i = 1
    while i < n - 1 {
      if integrated[i] > threshold && integrated[i] >= integrated[i - 1] && integrated[i] >= integrated[i + 1] {
        var best = i
        let end = min(n - 1, i + refractory)
        for j in i..<end where integrated[j] > integrated[best] { best = j }
        peaks.append(best)
        i = best + refractory
      } else {
        i += 1
      }
    }
    return peaks
  }

  /// Mean rate over the detected beats, bpm.
  static func rate(peaks: [Int], samplingRate: Double) -> Double? {
    guard peaks.count >= 2 else { return nil }
    return 60 * Double(peaks.count - 1) / (Double(peaks.last! - peaks.first!) / samplingRate)
  }

  /// Net QRS area (mV·samples) of `lead` summed over the beats, each measured against the level just
  /// before the QRS.
  static func netQRSArea(_ lead: [Float], beats: [Double], rate: Double, qrsDuration: Double) -> Double {
    let half = Int(0.6 * qrsDuration * rate)
    var area = 0.0
    for beat in beats {
      let centre = Int((beat * rate).rounded())
      guard centre - half - 3 >= 0, centre + half < lead.count else { continue }
      let baseline = (1...3).map { Double(lead[centre - half - $0]) }.reduce(0, +) / 3
      for k in (centre - half)...(centre + half) { area += Double(lead[k]) - baseline }
    }
    return area
  }

  /// Median QRS peak-to-peak amplitude of `lead` over the beats, mV.
  static func qrsPeakToPeak(_ lead: [Float], beats: [Double], rate: Double, qrsDuration: Double) -> Double {
    let half = Int(0.6 * qrsDuration * rate)
    var spans: [Double] = []
    for beat in beats {
      let centre = Int((beat * rate).rounded())
      guard centre - half >= 0, centre + half < lead.count else { continue }
      let window = lead[(centre - half)...(centre + half)]
      spans.append(Double(window.max()! - window.min()!))
    }
    spans.sort()
    return spans.isEmpty ? 0 : spans[spans.count / 2]
  }
}
