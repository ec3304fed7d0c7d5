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
      let breathing = p.baselineWander * rng.uniform(0.3...1)
      let breathingPhase = rng.uniform(0...(2 * Double.pi))
      let drift = p.baselineWander * rng.uniform(0...0.5)
      let driftFrequency = rng.uniform(0.02...0.08)
      let driftPhase = rng.uniform(0...(2 * Double.pi))
      let mains = p.powerlineAmplitude * rng.uniform(0.3...1)
      let mainsPhase = rng.uniform(0...(2 * Double.pi))
      var values = [Double](repeating: 0, count: samples)
      for n in 0..<samples {
        let t = Double(n) / rate
        var v = p.noiseDeviation * rng.normal()
        v += breathing * sin(2 * Double.pi * p.respirationFrequency * t + breathingPhase)
        v += drift * sin(2 * Double.pi * driftFrequency * t + driftPhase)
        if mains > 0 { v += mains * sin(2 * Double.pi * p.powerlineFrequency * t + mainsPhase) }
        values[n] = v
      }
      potentials.append(values)
    }
    self.potentials = potentials
  }
}
