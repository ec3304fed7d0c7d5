import ECGData
import Testing

@Suite struct SyntheticReportTests {
  @Test func reportAndLabelsFollowTheFindings() {
    let generator = SyntheticECGGenerator(seed: 5)
    var seen = Set<String>()
    for index in 0..<400 {
      let ecg = generator.record(at: index)
      let f = ecg.findings
      let p = ecg.parameters
      let labels = ecg.labels
      seen.formUnion(labels)
      #expect(Set(labels).isSubset(of: SyntheticFindings.labelSet))
      #expect(abs(Double(f.qrsAxis) - p.qrsAxis) <= 0.5 + 1e-9, "axis \(f.qrsAxis) vs \(p.qrsAxis)")
      #expect(f.qrsDuration == Int(p.qrsDuration.rounded()))
      #expect(abs(Double(f.heartRate) - p.heartRate) <= 5)

      let rhythm = labels.filter { ["SB", "NSR", "STach"].contains($0) }
      #expect(rhythm.count == 1)
      #expect(rhythm == [f.heartRate < 60 ? "SB" : f.heartRate > 100 ? "STach" : "NSR"])
      #expect(labels.contains("LAD") == (f.qrsAxis < -30))
      #expect(labels.contains("RAD") == (f.qrsAxis > 90))
      #expect(labels.contains("WideQRS") == (p.qrsDuration.rounded() >= 120))
      #expect(labels.contains("LowQRS") == (f.limbQRSPeakToPeak < 0.5))

      let report = ecg.report
      #expect(report.contains("rate \(f.heartRate) bpm"))
      let rhythmText = ["SB": "sinus bradycardia", "NSR": "sinus rhythm,", "STach": "sinus tachycardia"][rhythm[0]]!
      #expect(report.hasPrefix(rhythmText))
      #expect(report.contains("left axis deviation") == labels.contains("LAD"))
      #expect(report.contains("right axis deviation") == labels.contains("RAD"))
      #expect(report.contains("normal axis") == !(labels.contains("LAD") || labels.contains("RAD")))
      #expect(report.contains("low QRS voltage") == labels.contains("LowQRS"))
      #expect(report.contains("wide QRS") == labels.contains("WideQRS"))
      #expect(report.hasSuffix("normal ECG") == (labels == ["NSR"]))
    }
    #expect(seen == Set(SyntheticFindings.labelSet))
  }

  @Test func reportWording() {
    let findings = SyntheticFindings(heartRate: 112, qrsAxis: -45, qrsDuration: 132, limbQRSPeakToPeak: 0.4)
    #expect(findings.labels == ["STach", "LAD", "LowQRS", "WideQRS"])
    #expect(
      findings.report
        == "sinus tachycardia, rate 112 bpm; left axis deviation (QRS axis -45°); low QRS voltage in limb leads; wide QRS (132 ms)"
    )
    let normal = SyntheticFindings(heartRate: 72, qrsAxis: 45, qrsDuration: 90, limbQRSPeakToPeak: 1.2)
    #expect(normal.report == "sinus rhythm, rate 72 bpm; normal axis (QRS axis +45°); normal ECG")
  }
}
