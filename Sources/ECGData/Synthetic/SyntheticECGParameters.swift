/// Everything that makes one synthetic ECG what it is. Sampled by `sample(using:)` from the ranges
/// documented on each property; the generator, the report and the labels all derive from these values.
public struct SyntheticECGParameters: Sendable, Codable, Equatable {
  /// Mean heart rate, beats per minute (45–140; about 20 % below 60 and 20 % above 100).
  public var heartRate: Double
  /// Standard deviation of the instantaneous heart rate, beats per minute (0.5–4).
  public var heartRateDeviation: Double
  /// Centre of the Mayer (low-frequency) wave of the RR tachogram, Hz (0.08–0.12).
  public var mayerFrequency: Double
  /// Respiration frequency, Hz (0.15–0.35): centre of the RSA (high-frequency) wave and of the
  /// respiratory baseline wander.
  public var respirationFrequency: Double
  /// Power ratio of the Mayer to the RSA wave (0.5–2).
  public var lfhfRatio: Double
  /// Mean frontal QRS axis, degrees, measured like an ECG cart from the net QRS areas of leads I and
  /// aVF on the hexaxial reference system (−60 … +120).
  public var qrsAxis: Double
  /// Frontal P axis, degrees (20–75).
  public var pAxis: Double
  /// Rotation of the QRS and T loops about the vertical axis, degrees (−20 … +20): shifts the
  /// precordial transition zone.
  public var horizontalRotation: Double
  /// Scale of the QRS dipole (about 1 gives R ≈ 1 mV in lead II at a normal axis; 0.2–0.32 for the
  /// ~10 % low-voltage records, 0.8–1.8 otherwise).
  public var qrsScale: Double
  /// Scale of the P dipole (0.6–1.5; 0.4–0.8 in low-voltage records, whose cause damps every wave).
  public var pScale: Double
  /// Scale of the T dipole (0.5–1.5; 0.3–0.6 in low-voltage records).
  public var tScale: Double
  /// QRS duration, ms (80–110; 120–160 for the ~10 % wide records).
  public var qrsDuration: Double
  /// PR interval (P onset to QRS onset) at 60 bpm, ms (120–200).
  public var prInterval: Double
  /// P-wave duration, ms (80–115).
  public var pDuration: Double
  /// Heart-rate corrected QT (Bazett: QT = QTc·√RR), ms (370–450).
  public var qtc: Double
  /// Starting phase of the cardiac cycle, radians (−π … π): where in a beat the recording begins.
  public var initialPhase: Double
  /// Standard deviation of the white noise at each electrode, mV (0.002–0.015).
  public var noiseDeviation: Double
  /// Amplitude of the respiratory baseline wander, mV (0–0.3).
  public var baselineWander: Double
  /// Frequency of the mains interference, Hz (0 when absent; 50 or 60 in ~25 % of records).
  public var powerlineFrequency: Double
  /// Amplitude of the mains interference, mV (0.005–0.04 when present).
  public var powerlineAmplitude: Double
  /// Seed of the remaining random details (small perturbations of the dipole vectors, the phases of the
  /// RR spectrum, the noise), so a record can be regenerated from its parameters alone.
  public var detailSeed: UInt64

  /// Creates parameters from explicit values (see the properties for the meaning and ranges).
  public init(
    heartRate: Double, heartRateDeviation: Double, mayerFrequency: Double, respirationFrequency: Double,
    lfhfRatio: Double, qrsAxis: Double, pAxis: Double, horizontalRotation: Double, qrsScale: Double,
    pScale: Double, tScale: Double, qrsDuration: Double, prInterval: Double, pDuration: Double, qtc: Double,
    initialPhase: Double, noiseDeviation: Double, baselineWander: Double, powerlineFrequency: Double,
    powerlineAmplitude: Double, detailSeed: UInt64
  ) {
    self.heartRate = heartRate
    self.heartRateDeviation = heartRateDeviation
    self.mayerFrequency = mayerFrequency
    self.respirationFrequency = respirationFrequency
    self.lfhfRatio = lfhfRatio
    self.qrsAxis = qrsAxis
    self.pAxis = pAxis
    self.horizontalRotation = horizontalRotation
    self.qrsScale = qrsScale
    self.pScale = pScale
    self.tScale = tScale
    self.qrsDuration = qrsDuration
    self.prInterval = prInterval
    self.pDuration = pDuration
    self.qtc = qtc
    self.initialPhase = initialPhase
    self.noiseDeviation = noiseDeviation
    self.baselineWander = baselineWander
    self.powerlineFrequency = powerlineFrequency
    self.powerlineAmplitude = powerlineAmplitude
    self.detailSeed = detailSeed
  }

  /// Draws a parameter set from the documented ranges.
  public static func sample<G: RandomNumberGenerator>(using rng: inout G) -> SyntheticECGParameters {
    let rateBand = rng.nextUnit()
    let heartRate =
      rateBand < 0.2
      ? rng.uniform(45...60) : rateBand < 0.8 ? rng.uniform(60...100) : rng.uniform(100...140)
    let lowVoltage = rng.bernoulli(0.1)
    let wide = rng.bernoulli(0.1)
    let powerline = rng.bernoulli(0.25)
    return SyntheticECGParameters(
      heartRate: heartRate,
      heartRateDeviation: rng.uniform(0.5...4),
      mayerFrequency: rng.uniform(0.08...0.12),
      respirationFrequency: rng.uniform(0.15...0.35),
      lfhfRatio: rng.uniform(0.5...2),
      qrsAxis: rng.uniform(-60...120),
      pAxis: rng.uniform(20...75),
      horizontalRotation: rng.uniform(-20...20),
      qrsScale: lowVoltage ? rng.uniform(0.2...0.32) : rng.uniform(0.8...1.8),
      pScale: lowVoltage ? rng.uniform(0.4...0.8) : rng.uniform(0.6...1.5),
      tScale: lowVoltage ? rng.uniform(0.3...0.6) : rng.uniform(0.5...1.5),
      qrsDuration: wide ? rng.uniform(120...160) : rng.uniform(80...110),
      prInterval: rng.uniform(120...200),
      pDuration: rng.uniform(80...115),
      qtc: rng.uniform(370...450),
      initialPhase: rng.uniform(-Double.pi...Double.pi),
      noiseDeviation: rng.uniform(0.002...0.015),
      baselineWander: rng.uniform(0...0.3),
      powerlineFrequency: powerline ? (rng.bernoulli(0.5) ? 50 : 60) : 0,
      powerlineAmplitude: powerline ? rng.uniform(0.005...0.04) : 0,
      detailSeed: rng.next()
    )
  }
}
