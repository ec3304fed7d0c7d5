import Foundation
import Testing

@testable import ECGData

/// Header fields and reader cases the shared records do not cover.
@Suite struct WFDBReaderTests {
  @Test func recordLineWithCounterFrequencyBaseTimeAndDate() throws {
    let header = try WFDBHeader(
      parsing: """
        rec 2 500/1000(12) 5000 10:20:30 01/02/2003
        rec.dat 16x2:1+24 200(10)/uV 12 3 4 5 6 lead II # trailing
        rec.dat 16 0 16 0 0
        # Dx: 1,2
        """)
    #expect(header.samplingFrequency == 500)
    #expect(header.counterFrequency == 1000)
    #expect(header.baseCounter == 12)
    #expect(header.numberOfFrames == 5000)
    #expect(header.baseTime == "10:20:30")
    #expect(header.baseDate == "01/02/2003")
    let s = header.signals[0]
    #expect(s.samplesPerFrame == 2)
    #expect(s.skew == 1)
    #expect(s.byteOffset == 24)
    #expect(s.gain == 200)
    #expect(s.baseline == 10)
    #expect(s.units == "uV")
    #expect(s.adcResolution == 12)
    #expect(s.adcZero == 3)
    #expect(s.initialValue == 4)
    #expect(s.checksum == 5)
    #expect(s.blockSize == 6)
    #expect(s.description == "lead II")
    #expect(header.signals[1].gain == 200)  // 0 means WFDB's default
    #expect(header.comments == ["Dx: 1,2"])
  }

  @Test func badHeadersAreErrorsNotCrashes() {
    for text in [
      "", "rec x", "rec 2 500 10\nrec.dat 16", "rec 1 500\nrec.dat 99", "rec 1 500\nrec.dat 16x0", "rec/2 1 500",
    ] {
      #expect(throws: WFDBError.self, "\(text)") { try WFDBHeader(parsing: text) }
    }
  }

  @Test func severalFilesSamplesPerFrameSkewOffsetAndMissingValues() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try WFDBWriter.write(
      name: "a", folder: folder, samplingFrequency: 100,
      signals: [
        WFDBWriter.Signal(name: "fast", gain: 10, samplesPerFrame: 2, digital: [1, 2, 3, 4, 5, 6]),
        WFDBWriter.Signal(name: "slow", gain: 10, baseline: 5, digital: [10, -32768, 30]),
      ], byteOffset: 24)
    try WFDBWriter.write(
      name: "b", folder: folder, samplingFrequency: 100,
      signals: [WFDBWriter.Signal(name: "other", gain: 2, digital: [7, 8, 9, 10])])
    // One header over both files; the second file's signal lags by one frame.
    let text = """
      both 3 100 3
      a.dat 16x2+24 10/mV 16 0 1 0 0 fast
      a.dat 16+24 10(5)/mV 16 0 10 0 0 slow
      b.dat 16:1 2/mV 16 0 7 0 0 other
      """
    try text.write(to: folder.appendingPathComponent("both.hea"), atomically: true, encoding: .utf8)
    let record = try WFDBRecord(contentsOf: folder.appendingPathComponent("both").path)
    #expect(record.digital[0] == [1, 2, 3, 4, 5, 6])
    #expect(record.digital[1] == [10, -32768, 30])
    #expect(record.digital[2] == [8, 9, 10])
    // Frame means 1.5, 3.5, 5.5 truncate to 1, 3, 5 as in wfdb's smoothed frames.
    #expect(record.physical(0) == [0.1, 0.3, 0.5])
    let slow = record.physical(1)
    #expect(slow[0] == 0.5 && slow[1].isNaN && slow[2] == 2.5)
    #expect(record.physicalSamples(0).count == 6)
  }

  @Test func missingAndTruncatedDataFilesAreReported() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "r 1 100 10\nr.dat 16 200 16 0 0 0 0 I\n".write(
      to: folder.appendingPathComponent("r.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBRecord(contentsOf: folder.appendingPathComponent("r").path) } throws: {
      ($0 as? WFDBError)?.kind == .missingFile
    }
    try Data(count: 6).write(to: folder.appendingPathComponent("r.dat"))
    #expect { try WFDBRecord(contentsOf: folder.appendingPathComponent("r").path) } throws: {
      ($0 as? WFDBError)?.kind == .truncated
    }
  }

  @Test func frameCountFromFileSizeWhenHeaderOmitsIt() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try "r 2 100\nr.dat 212 200 12 0 0 0 0 I\nr.dat 212 200 12 0 0 0 0 II\n"
      .write(to: folder.appendingPathComponent("r.hea"), atomically: true, encoding: .utf8)
    // Two frames of two 12-bit samples: (1, -1) and (2047, -2048).
    try Data([0x01, 0xF0, 0xFF, 0xFF, 0x87, 0x00]).write(to: folder.appendingPathComponent("r.dat"))
    let record = try WFDBRecord(contentsOf: folder.appendingPathComponent("r").path)
    #expect(record.numberOfFrames == 2)
    #expect(record.digital[0] == [1, 2047])
    #expect(record.digital[1] == [-1, -2048])
    #expect(record.physical(1)[1].isNaN)
  }
}

@Suite struct WFDBSegmentedRecordTests {
  @Test func segmentsJoinByNameWithGapsAsNaN() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try WFDBWriter.write(
      name: "m_layout", folder: folder, samplingFrequency: 100,
      signals: [WFDBWriter.Signal(name: "II", digital: []), WFDBWriter.Signal(name: "V5", digital: [])])
    try WFDBWriter.write(
      name: "m_0001", folder: folder, samplingFrequency: 100,
      signals: [
        WFDBWriter.Signal(name: "II", gain: 10, digital: [10, 20]),
        WFDBWriter.Signal(name: "V5", gain: 10, digital: [1, 2]),
      ])
    try WFDBWriter.write(
      name: "m_0002", folder: folder, samplingFrequency: 100,
      signals: [WFDBWriter.Signal(name: "V5", gain: 100, digital: [300, 400, 500])])
    try "m/4 2 100 7\nm_layout 0\nm_0001 2\n~ 2\nm_0002 3\n# Dx: 164889003\n"
      .write(to: folder.appendingPathComponent("m.hea"), atomically: true, encoding: .utf8)
    #expect { try WFDBRecord(contentsOf: folder.appendingPathComponent("m").path) } throws: {
      ($0 as? WFDBError)?.kind == .multiSegment
    }
    let record = try WFDBSegmentedRecord(contentsOf: folder.appendingPathComponent("m").path)
    #expect(record.signalNames == ["II", "V5"])
    #expect(record.comments == ["Dx: 164889003"])
    let ii = record.physical[0]
    let v5 = record.physical[1]
    #expect(ii.count == 7 && v5.count == 7)
    #expect(Array(ii[0..<2]) == [1, 2] && ii[2...].allSatisfy(\.isNaN))
    #expect(Array(v5[0..<2]) == [0.1, 0.2] && v5[2].isNaN && v5[3].isNaN && Array(v5[4...]) == [3, 4, 5])

    // The generic source lists the master record only, with its report.
    let records = try ChallengeSource(root: folder, kind: .wfdb).records()
    #expect(records.map(\.id) == ["m"])
    #expect(records[0].report == "atrial fibrillation")
  }
}
