import Foundation

/// Deterministic generator of synthetic 12-lead ECGs (ECGSYN extended to a 3-D dipole; see
/// `DipoleModel`, `RRTachogram`, `LeadSystem`, `ElectrodeNoise`).
///
/// Record `i` depends only on `(seed, i)`: it draws from its own xoshiro256** stream, so it is the same
/// whichever other records are generated, in whatever order or number of threads.
///
/// ```swift
/// let generator = SyntheticECGGenerator(seed: 42)
/// let ecg = generator.record(at: 0)          // 12 × 2500 mV at 250 Hz
/// let batch = generator.records(0..<1000)    // in parallel on all cores
/// ```
public struct SyntheticECGGenerator: Sendable {
  /// The dataset seed.
  public let seed: UInt64
  /// Samples per lead (2500: 10 s at 250 Hz).
  public let sampleCount: Int
  /// Output sampling rate, Hz.
  public let samplingRate: Double
  /// Rate at which the cardiac phase is integrated, Hz (a multiple of `samplingRate`).
  public let internalRate: Double

  /// Creates a generator; the defaults give 10 s at 250 Hz, integrated at 1 kHz.
  public init(seed: UInt64, sampleCount: Int = 2500, samplingRate: Double = 250, internalRate: Double = 1000) {
    precondition(sampleCount >= 2 && samplingRate > 0, "need at least two samples and a positive rate")
    precondition(internalRate >= samplingRate, "the internal rate must be a multiple of the sampling rate")
    self.seed = seed
    self.sampleCount = sampleCount
    self.samplingRate = samplingRate
    self.internalRate = internalRate
  }

  /// The parameters of record `index`.
  public func parameters(at index: Int) -> SyntheticECGParameters {
    precondition(index >= 0, "record indices start at 0")
    var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(index))
    return SyntheticECGParameters.sample(using: &rng)
  }

  /// Record `index`.
  public func record(at index: Int) -> SyntheticECG {
    render(parameters(at: index), index: index)
  }

  /// Records `indices`, generated in parallel with `threads` workers (default: all active processors).
  public func records(_ indices: Range<Int>, threads: Int? = nil) -> [SyntheticECG] {
    let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, indices.count))
    let results = LockedSlots<SyntheticECG>(count: indices.count)
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for k in stride(from: worker, to: indices.count, by: workers) {
        results.set(k, record(at: indices.lowerBound + k))
      }
    }
    return results.values()
  }

  /// Renders a record from explicit parameters (everything random comes from `parameters.detailSeed`).
  public func render(_ parameters: SyntheticECGParameters, index: Int = 0) -> SyntheticECG {
    var rng = Xoshiro256StarStar(seed: parameters.detailSeed)
    let model = DipoleModel(parameters: parameters, using: &rng)
    let tachogram = RRTachogram(parameters: parameters, using: &rng)
    let phase = CardiacPhase(
      tachogram: tachogram, initialPhase: parameters.initialPhase, samples: sampleCount, outputRate: samplingRate,
      internalRate: internalRate)
    let noise = ElectrodeNoise(parameters: parameters, samples: sampleCount, rate: samplingRate, using: &rng)

    var signal = [[Float]](repeating: [Float](repeating: 0, count: sampleCount), count: 12)
    let e = noise.potentials
    for n in 0..<sampleCount {
      let d = model.dipole(at: phase.phase[n])
      let i = LeadSystem.leadI(d) + e[1][n] - e[0][n]
      let ii = LeadSystem.leadII(d) + e[2][n] - e[0][n]
      let limbs = LeadSystem.limbLeads(i: i, ii: ii)
      signal[0][n] = Float(limbs.0)
      signal[1][n] = Float(limbs.1)
      signal[2][n] = Float(limbs.2)
      signal[3][n] = Float(limbs.3)
      signal[4][n] = Float(limbs.4)
      signal[5][n] = Float(limbs.5)
      let terminal = (e[0][n] + e[1][n] + e[2][n]) / 3  // Wilson's central terminal
      for v in 0..<6 {
        signal[6 + v][n] = Float(LeadSystem.project(d, row: 2 + v) + e[3 + v][n] - terminal)
      }
    }
    let findings = SyntheticFindings(
      heartRate: Int(Self.rate(beats: phase.beatTimes, fallback: parameters.heartRate).rounded()),
      qrsAxis: Int(
        LeadSystem.hexaxialAngle(i: LeadSystem.leadI(model.qrsArea), ii: LeadSystem.leadII(model.qrsArea)).rounded()),
      qrsDuration: Int(parameters.qrsDuration.rounded()),
      limbQRSPeakToPeak: Self.limbPeakToPeak(model, qrsDuration: parameters.qrsDuration / 1000))
    return SyntheticECG(
      index: index, recordID: "synth-" + String(format: "%07d", index), samplingRate: samplingRate,
      leadNames: LeadSystem.names, signal: signal, findings: findings, beatTimes: phase.beatTimes,
      parameters: parameters)
  }

  /// Mean rate over the beats of the record, bpm.
  static func rate(beats: [Double], fallback: Double) -> Double {
    guard beats.count >= 2, let first = beats.first, let last = beats.last, last > first else { return fallback }
    return 60 * Double(beats.count - 1) / (last - first)
  }

  /// Largest noise-free QRS peak-to-peak amplitude among the limb leads, on a grid of QRS/100 spanning
  /// two QRS durations either side of the R peak.
  static func limbPeakToPeak(_ model: DipoleModel, qrsDuration: Double) -> Double {
    var low = [Double](repeating: .infinity, count: 6)
    var high = [Double](repeating: -.infinity, count: 6)
    for step in -200...200 {
      let d = model.qrsDipole(atTime: Double(step) * qrsDuration / 100)
      let l = LeadSystem.limbLeads(i: LeadSystem.leadI(d), ii: LeadSystem.leadII(d))
      for (k, v) in [l.0, l.1, l.2, l.3, l.4, l.5].enumerated() {
        low[k] = min(low[k], v)
        high[k] = max(high[k], v)
      }
    }
    return zip(low, high).map { $1 - $0 }.max()!
  }
}
