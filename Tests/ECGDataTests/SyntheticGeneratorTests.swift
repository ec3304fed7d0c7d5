import ECGData
import Foundation
import Testing

@Suite struct SyntheticGeneratorTests {
  let generator = SyntheticECGGenerator(seed: 2026)

  @Test func shapeRateAndLeads() {
    let ecg = generator.record(at: 0)
    #expect(ecg.signal.count == 12)
    #expect(ecg.signal.allSatisfy { $0.count == 2500 })
    #expect(ecg.samplingRate == 250)
    #expect(ecg.leadNames == ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"])
    #expect(ecg.recordID == "synth-0000000")
    #expect(ecg.leadMajorValues.count == 12 * 2500)
    #expect(Array(ecg.leadMajorValues[2500..<5000]) == ecg.signal[1])
  }

  @Test func sameSeedAndIndexGiveIdenticalRecords() {
    let again = SyntheticECGGenerator(seed: 2026)
    for index in [0, 1, 17, 999] {
      let a = generator.record(at: index)
      let b = again.record(at: index)
      #expect(a.signal == b.signal)
      #expect(a.report == b.report)
      #expect(a.parameters == b.parameters)
    }
  }

  @Test func differentIndicesAndSeedsDiffer() {
    let a = generator.record(at: 3)
    #expect(a.signal != generator.record(at: 4).signal)
    #expect(a.signal != SyntheticECGGenerator(seed: 2027).record(at: 3).signal)
    #expect(a.parameters != generator.record(at: 4).parameters)
  }

  @Test func recordsDoNotDependOnBatchCountOrThreads() {
    let all = generator.records(0..<12, threads: 3)
    let slice = generator.records(5..<8)
    let single = generator.records(0..<12, threads: 1)
    for (k, ecg) in all.enumerated() {
      #expect(ecg.index == k)
      #expect(ecg.signal == generator.record(at: k).signal)
      #expect(ecg.signal == single[k].signal)
    }
    for (k, ecg) in slice.enumerated() { #expect(ecg.signal == all[5 + k].signal) }
  }

  @Test func renderingFromParametersReproducesTheRecord() {
    let ecg = generator.record(at: 21)
    #expect(generator.render(ecg.parameters, index: 21).signal == ecg.signal)
  }

  @Test func limbLeadsObeyEinthovenAndGoldberger() {
    for ecg in generator.records(0..<40) {
      let s = ecg.signal
      var worst: Float = 0
      for n in 0..<2500 {
        let (i, ii) = (s[0][n], s[1][n])
        worst = max(worst, abs(s[2][n] - (ii - i)))
        worst = max(worst, abs(s[3][n] + (i + ii) / 2))
        worst = max(worst, abs(s[4][n] - (i - ii / 2)))
        worst = max(worst, abs(s[5][n] - (ii - i / 2)))
      }
      #expect(worst < 1e-5, "record \(ecg.index): \(worst)")
    }
  }

  @Test func valuesAreFiniteAndPlausible() {
    for ecg in generator.records(0..<200) {
      let flat = ecg.leadMajorValues
      #expect(flat.allSatisfy { $0.isFinite })
      let peak = flat.map(abs).max()!
      #expect(peak < 6, "record \(ecg.index): |x| up to \(peak) mV")
      let spans = ecg.signal.map { $0.max()! - $0.min()! }
      #expect(spans.max()! > 0.3, "record \(ecg.index): flat record")
    }
  }

  @Test func parametersStayInTheirRanges() {
    for index in 0..<2000 {
      let p = generator.parameters(at: index)
      #expect((45...140).contains(p.heartRate))
      #expect((-60...120).contains(p.qrsAxis))
      #expect((80...160).contains(p.qrsDuration))
      #expect((0.2...1.8).contains(p.qrsScale))
      #expect((0.15...0.35).contains(p.respirationFrequency))
      #expect([0, 50, 60].contains(p.powerlineFrequency))
    }
  }

  @Test func thousandRecordsTiming() {
    // Measured, not asserted (see `ecg bench synth` for release-build figures).
    let start = Date()
    let batch = generator.records(0..<1000)
    let seconds = Date().timeIntervalSince(start)
    #expect(batch.count == 1000)
    print("synthetic: 1000 records in \(String(format: "%.2f", seconds)) s (this build, all cores)")
  }
}
