import Foundation

/// The RR-interval process of ECGSYN (McSharry, Clifford, Tarassenko & Smith 2003, "A dynamical model
/// for generating synthetic electrocardiogram signals", IEEE TBME 50(3):289–294, §II-A): a bimodal power
/// spectrum with a Mayer wave (low frequency, ~0.1 Hz) and respiratory sinus arrhythmia (high frequency,
/// at the respiration rate), each a Gaussian of width 0.01 Hz, given random phases and scaled to the
/// requested standard deviation.
///
/// McSharry obtains the series by an inverse FFT of the spectrum with random phases; here the same sum of
/// cosines (a 0.005 Hz grid, only the bins within 4 widths of a peak) is evaluated directly at the
/// tachogram's sample times, which need not fit an FFT length.
struct RRTachogram: Sendable {
  private struct Component {
    var frequency: Double
    var amplitude: Double
    var phase: Double
  }

  /// Mean RR interval, s.
  let meanRR: Double
  private let components: [Component]

  /// Draws the random phases for the given parameters.
  init<G: RandomNumberGenerator>(parameters p: SyntheticECGParameters, using rng: inout G) {
    meanRR = 60 / p.heartRate
    let width = 0.01
    let step = 0.005
    let lfPower = p.lfhfRatio / (1 + p.lfhfRatio)
    let hfPower = 1 / (1 + p.lfhfRatio)
    var components: [Component] = []
    var variance = 0.0
    for k in 1...100 {
      let f = Double(k) * step
      var density = 0.0
      for (centre, power) in [(p.mayerFrequency, lfPower), (p.respirationFrequency, hfPower)]
      where abs(f - centre) < 4 * width {
        density +=
          power / (width * (2 * Double.pi).squareRoot()) * exp(-(f - centre) * (f - centre) / (2 * width * width))
      }
      guard density > 0 else { continue }
      let amplitude = (2 * density * step).squareRoot()
      variance += amplitude * amplitude / 2
      components.append(Component(frequency: f, amplitude: amplitude, phase: rng.uniform(0...(2 * Double.pi))))
    }
    // σ_RR ≈ RR̄ · σ_HR / HR̄ to first order.
    let deviation = meanRR * p.heartRateDeviation / p.heartRate
    let scale = variance > 0 ? deviation / variance.squareRoot() : 0
    self.components = components.map {
      Component(frequency: $0.frequency, amplitude: $0.amplitude * scale, phase: $0.phase)
    }
  }

  /// RR(t) sampled at `count` times `t = n / rate`, by rotating one phasor per component.
  func intervals(count: Int, rate: Double) -> [Double] {
    var values = [Double](repeating: meanRR, count: count)
    for c in components {
      let delta = 2 * Double.pi * c.frequency / rate
      let (stepCos, stepSin) = (cos(delta), sin(delta))
      var (re, im) = (cos(c.phase), sin(c.phase))
      for n in 0..<count {
        values[n] += c.amplitude * re
        (re, im) = (re * stepCos - im * stepSin, re * stepSin + im * stepCos)
      }
    }
    return values
  }
}

/// The phase θ(t) of the ECGSYN limit cycle, integrated at a fine internal rate from the angular
/// velocity ω(t) = 2π / RR(t), and the R-peak times (θ ≡ 0 mod 2π).
struct CardiacPhase: Sendable {
  /// Unwrapped phase at each output sample, radians.
  let phase: [Double]
  /// Times of the R peaks inside the record, s.
  let beatTimes: [Double]

  /// The tachogram is sampled at `tachogramRate` (as ECGSYN samples RR before interpolating it to its
  /// internal rate), interpolated linearly to `internalRate` (a multiple of `outputRate`), where ω is
  /// integrated with the trapezoidal rule; every `internalRate / outputRate`-th phase is kept.
  init(
    tachogram: RRTachogram, initialPhase: Double, samples: Int, outputRate: Double, internalRate: Double,
    tachogramRate: Double = 50
  ) {
    let factor = Int((internalRate / outputRate).rounded())
    precondition(
      factor >= 1 && Double(factor) * outputRate == internalRate, "internal rate must be a multiple of the output rate")
    let steps = (samples - 1) * factor + 1
    let coarse = tachogram.intervals(count: Int(Double(steps) / internalRate * tachogramRate) + 2, rate: tachogramRate)
    let rr = (0..<steps).map { n -> Double in
      let position = Double(n) / internalRate * tachogramRate
      let k = Int(position)
      let fraction = position - Double(k)
      return coarse[k] + fraction * (coarse[k + 1] - coarse[k])
    }
    let dt = 1 / internalRate
    var phase = [Double](repeating: 0, count: samples)
    var beats: [Double] = []
    var theta = initialPhase
    var nextBeat = (initialPhase / (2 * Double.pi)).rounded(.up) * 2 * Double.pi
    phase[0] = theta
    if theta == nextBeat {
      beats.append(0)
      nextBeat += 2 * Double.pi
    }
    for n in 1..<steps {
      let previous = theta
      theta += dt * Double.pi * (1 / rr[n - 1] + 1 / rr[n])
      while theta >= nextBeat {
        beats.append((Double(n - 1) + (nextBeat - previous) / (theta - previous)) * dt)
        nextBeat += 2 * Double.pi
      }
      if n % factor == 0 { phase[n / factor] = theta }
    }
    self.phase = phase
    beatTimes = beats
  }
}
