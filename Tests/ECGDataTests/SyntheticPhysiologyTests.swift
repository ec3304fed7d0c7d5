import ECGData
import Foundation
import Testing

@Suite struct SyntheticPhysiologyTests {
  let generator = SyntheticECGGenerator(seed: 11)

  @Test func detectedHeartRateMatchesTheParameter() {
    var leadIIChecked = 0
    for ecg in generator.records(0..<150) {
      func check(_ leads: [Int], _ what: String) {
        let peaks = SyntheticMeasure.rPeaks(leads.map { ecg.signal[$0] }, rate: ecg.samplingRate)
        let rate = SyntheticMeasure.rate(peaks: peaks, samplingRate: ecg.samplingRate) ?? 0
        #expect(
          abs(rate - ecg.parameters.heartRate) <= 5,
          "record \(ecg.index), \(what): detected \(rate), parameter \(ecg.parameters.heartRate)")
        #expect(
          abs(rate - Double(ecg.findings.heartRate)) <= 3,
          "record \(ecg.index), \(what): detected \(rate), report \(ecg.findings.heartRate)")
      }
      // Lead II where it shows the QRS well: not with a low voltage, a left axis (II is nearly
      // perpendicular to the QRS at −30°) or a wide QRS (a notched R); all independent leads always.
      let labels = ecg.labels
      if !labels.contains("LowQRS") && !labels.contains("WideQRS") && ecg.findings.qrsAxis >= 0 {
        check([1], "lead II")
        leadIIChecked += 1
      }
      check([0, 1, 6, 7, 8, 9, 10, 11], "I, II, V1–V6")
    }
    #expect(leadIIChecked > 50)
  }

  @Test func beatTimesFollowTheRate() {
    for ecg in generator.records(0..<50) {
      let intervals = zip(ecg.beatTimes.dropFirst(), ecg.beatTimes).map { $0 - $1 }
      let mean = intervals.reduce(0, +) / Double(intervals.count)
      #expect(abs(60 / mean - ecg.parameters.heartRate) < 5)
      #expect(intervals.allSatisfy { $0 > 0.3 && $0 < 1.6 })
    }
  }

  @Test func axisFromNetQRSAreasAgreesWithTheLabels() {
    for ecg in generator.records(0..<200) {
      let d = ecg.parameters.qrsDuration / 1000
      let areaI = SyntheticMeasure.netQRSArea(ecg.signal[0], beats: ecg.beatTimes, rate: 250, qrsDuration: d)
      let areaAVF = SyntheticMeasure.netQRSArea(ecg.signal[5], beats: ecg.beatTimes, rate: 250, qrsDuration: d)
      let axis = atan2(areaAVF * 2 / 3.0.squareRoot(), areaI) * 180 / Double.pi
      let labels = ecg.labels
      var difference = abs(axis - Double(ecg.findings.qrsAxis)).truncatingRemainder(dividingBy: 360)
      difference = min(difference, 360 - difference)
      // Low-voltage QRS areas are too small against P-wave tails and noise for a precise angle, and a
      // wide QRS overlaps the T wave at fast rates.
      if !labels.contains("LowQRS") && !labels.contains("WideQRS") {
        #expect(difference < 20, "record \(ecg.index): measured \(axis)°, reported \(ecg.findings.qrsAxis)°")
      }
      // Sign checks with a margin around the thresholds (not on low-voltage records, whose QRS areas
      // baseline wander can outweigh).
      guard !labels.contains("LowQRS") else { continue }
      if ecg.findings.qrsAxis < -40 {
        #expect(labels.contains("LAD") && areaI > 0 && areaAVF < 0, "record \(ecg.index)")
      }
      if ecg.findings.qrsAxis > 105 {
        #expect(labels.contains("RAD") && areaI < 0 && areaAVF > 0, "record \(ecg.index)")
      }
      if (-15...75).contains(ecg.findings.qrsAxis) {
        #expect(!labels.contains("LAD") && !labels.contains("RAD") && areaI > 0, "record \(ecg.index)")
      }
      if (20...75).contains(ecg.findings.qrsAxis) { #expect(areaAVF > 0, "record \(ecg.index)") }
    }
  }

  @Test func morphologyLooksLikeANormalTwelveLead() {
    // Over records with a normal axis and voltage: aVR mostly negative, V1 QRS mostly negative, V6 mostly positive.
    var checked = 0
    let normal = generator.records(0..<200).filter {
      (0...75).contains($0.findings.qrsAxis) && !$0.labels.contains("LowQRS")
    }
    for ecg in normal {
      let d = ecg.parameters.qrsDuration / 1000
      func area(_ lead: String) -> Double {
        SyntheticMeasure.netQRSArea(
          ecg.signal[SyntheticMeasure.leadIndex[lead]!], beats: ecg.beatTimes, rate: 250, qrsDuration: d)
      }
      #expect(area("aVR") < 0, "record \(ecg.index)")
      #expect(area("V1") < 0, "record \(ecg.index)")
      #expect(area("V6") > 0, "record \(ecg.index)")
      checked += 1
    }
    #expect(checked > 50)
  }

  @Test func lowVoltageLabelMatchesTheSignal() {
    var low = 0
    for ecg in generator.records(0..<300) {
      let d = ecg.parameters.qrsDuration / 1000
      let spans = (0..<6).map {
        SyntheticMeasure.qrsPeakToPeak(ecg.signal[$0], beats: ecg.beatTimes, rate: 250, qrsDuration: d)
      }
      if ecg.labels.contains("LowQRS") {
        low += 1
        #expect(spans.max()! < 0.6, "record \(ecg.index): \(spans)")
      } else {
        #expect(spans.max()! > 0.4, "record \(ecg.index): \(spans)")
      }
    }
    #expect(low > 5)
  }
}
