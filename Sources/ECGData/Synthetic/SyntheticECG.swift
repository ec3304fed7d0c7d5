/// One synthetic 12-lead ECG with its report, labels and the parameters that made it.
public struct SyntheticECG: Sendable {
  /// Position in the generator's sequence.
  public var index: Int
  /// Record identifier, `synth-<index>` zero-padded to 7 digits.
  public var recordID: String
  /// Samples per second (250).
  public var samplingRate: Double
  /// Lead names in standard order (I, II, III, aVR, aVL, aVF, V1–V6).
  public var leadNames: [String]
  /// The signal in millivolts, lead-major: `signal[lead][sample]`, 12 × 2500.
  public var signal: [[Float]]
  /// Measured findings behind the report and labels.
  public var findings: SyntheticFindings
  /// Times of the R peaks, s.
  public var beatTimes: [Double]
  /// The parameters used.
  public var parameters: SyntheticECGParameters

  /// Machine-style report, e.g. "sinus tachycardia, rate 112 bpm; left axis deviation (QRS axis −45°)".
  public var report: String { findings.report }
  /// Labels from `SyntheticFindings.labelSet`.
  public var labels: [String] { findings.labels }

  /// The signal flattened lead-major (`12 * sampleCount` values), as dataset stores hold it.
  public var leadMajorValues: [Float] { signal.flatMap { $0 } }
}
