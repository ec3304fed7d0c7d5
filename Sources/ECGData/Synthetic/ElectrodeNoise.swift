import Foundation

/// Noise and interference added at the electrodes (RA, LA, LL, V1–V6), so that the leads formed from
/// them keep Einthoven's and Goldberger's relations: white measurement noise, respiratory baseline
/// wander with a slower drift, and optional mains interference.
struct ElectrodeNoise: Sendable {
  /// Electrode potentials, mV: 0 = RA, 1 = LA, 2 = LL, 3… = V1…V6.
  let potentials: [[Double]]

  static let electrodeCount = 9

  init(parameters p: SyntheticECGParameters, samples: Int, rate: Double, using rng: inout some RandomNumberGenerator) {
    var potentials: [[Double]] = []
    potentials.reserveCapacity(Self.electrodeCount)
    for _ in 0..<Self.electrodeCount {
      var values = [Double](repeating: 0, count: samples)
      // Box–Muller pairs: both values of each pair are used here.
      var n = 0
      while n < samples {
        let u1 = 1 - rng.nextUnit()
        let u2 = 2 * Double.pi * rng.nextUnit()
        let radius = p.noiseDeviation * (-2 * log(u1)).squareRoot()
        values[n] = radius * cos(u2)
        if n + 1 < samples { values[n + 1] = radius * sin(u2) }
        n += 2
      }
      let tones = [
        (p.baselineWander * rng.uniform(0.3...1), p.respirationFrequency),
        (p.baselineWander * rng.uniform(0...0.5), rng.uniform(0.02...0.08)),
        (p.powerlineAmplitude * rng.uniform(0.3...1), p.powerlineFrequency),
      ]
      for (amplitude, frequency) in tones where amplitude > 0 {
        Self.addSine(
          to: &values, amplitude: amplitude, frequency: frequency / rate, phase: rng.uniform(0...(2 * Double.pi)))
      }
      potentials.append(values)
    }
    self.potentials = potentials
  }

  /// Adds amplitude·sin(2π·frequency·n + phase) (frequency in cycles per sample) by rotating a phasor.
  private static func addSine(to values: inout [Double], amplitude: Double, frequency: Double, phase: Double) {
    let (stepCos, stepSin) = (cos(2 * Double.pi * frequency), sin(2 * Double.pi * frequency))
    var (c, s) = (cos(phase), sin(phase))
    for n in values.indices {
      values[n] += amplitude * s
      (c, s) = (c * stepCos - s * stepSin, s * stepCos + c * stepSin)
    }
  }
}
