/// What an ECG cart would say about a synthetic record, measured from the model: the basis of the
/// report text and the labels.
///
/// Vocabulary (labels in brackets): "sinus bradycardia" [SB] below 60 bpm, "sinus rhythm" [NSR],
/// "sinus tachycardia" [STach] above 100 bpm; "left axis deviation" [LAD] below −30°, "right axis
/// deviation" [RAD] above +90°, otherwise "normal axis"; "low QRS voltage in limb leads" [LowQRS] when
/// every limb lead's QRS spans less than 0.5 mV peak to peak; "wide QRS" [WideQRS] at 120 ms or more;
/// "normal ECG" when none of SB, STach, LAD, RAD, LowQRS, WideQRS applies.
public struct SyntheticFindings: Sendable, Codable, Equatable {
  /// Heart rate over the record's beats, bpm, rounded.
  public var heartRate: Int
  /// Mean frontal QRS axis, degrees, rounded.
  public var qrsAxis: Int
  /// QRS duration, ms, rounded.
  public var qrsDuration: Int
  /// Largest QRS peak-to-peak amplitude among the six limb leads, mV (noise-free).
  public var limbQRSPeakToPeak: Double

  /// Creates findings.
  public init(heartRate: Int, qrsAxis: Int, qrsDuration: Int, limbQRSPeakToPeak: Double) {
    self.heartRate = heartRate
    self.qrsAxis = qrsAxis
    self.qrsDuration = qrsDuration
    self.limbQRSPeakToPeak = limbQRSPeakToPeak
  }

  /// Every label this generator can emit, in report order.
  public static let labelSet = ["SB", "NSR", "STach", "LAD", "RAD", "LowQRS", "WideQRS"]

  /// The rhythm label: SB, NSR or STach.
  public var rhythm: String { heartRate < 60 ? "SB" : heartRate > 100 ? "STach" : "NSR" }

  /// The labels that apply, in `labelSet` order.
  public var labels: [String] {
    var labels = [rhythm]
    if qrsAxis < -30 { labels.append("LAD") }
    if qrsAxis > 90 { labels.append("RAD") }
    if limbQRSPeakToPeak < 0.5 { labels.append("LowQRS") }
    if qrsDuration >= 120 { labels.append("WideQRS") }
    return labels
  }

  /// A short machine-style report, e.g. "sinus tachycardia, rate 112 bpm; left axis deviation (QRS axis −45°)".
  public var report: String {
    let labels = labels
    let rhythmText = ["SB": "sinus bradycardia", "NSR": "sinus rhythm", "STach": "sinus tachycardia"][rhythm]!
    let signedAxis = qrsAxis > 0 ? "+\(qrsAxis)" : "\(qrsAxis)"
    let axisText =
      labels.contains("LAD") ? "left axis deviation" : labels.contains("RAD") ? "right axis deviation" : "normal axis"
    var parts = ["\(rhythmText), rate \(heartRate) bpm", "\(axisText) (QRS axis \(signedAxis)°)"]
    if labels.contains("LowQRS") { parts.append("low QRS voltage in limb leads") }
    if labels.contains("WideQRS") { parts.append("wide QRS (\(qrsDuration) ms)") }
    if labels == ["NSR"] { parts.append("normal ECG") }
    return parts.joined(separator: "; ")
  }
}
