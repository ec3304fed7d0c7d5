import Foundation
import Testing

@testable import ECGData

/// Signals with several samples per frame: one physical value per frame as wfdb's `rdrecord(smooth_frames=True)`
/// gives it (digital mean truncated toward zero, then (mean - baseline) / gain).
@Suite struct WFDBFrameSmoothingTests {
  @Test func fourSamplesPerFrameAverageThenConvert() throws {
    let folder = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let fast: [Int32] = [
      1, 2, 2, 2,  // mean 1.75 → 1
      -1, -2, -2, -2,  // -1.75 → -1
      400, 404, 408, 412,  // 406
      -32768, -32768, -32768, -32768,  // all missing → NaN
      -32768, 0, 0, 0,  // one missing: wfdb averages the sentinel in → -8192
    ]
    try WFDBWriter.write(
      name: "r", folder: folder, samplingFrequency: 125,
      signals: [
        WFDBWriter.Signal(name: "ECG", gain: 200, baseline: 6, samplesPerFrame: 4, digital: fast),
        WFDBWriter.Signal(name: "slow", gain: 10, digital: [1, 2, 3, 4, 5]),
      ])
    let record = try WFDBRecord(contentsOf: folder.appendingPathComponent("r").path)
    #expect(record.header.signals[0].samplesPerFrame == 4)
    #expect(record.numberOfFrames == 5)
    #expect(record.digital[0] == fast)
    let physical = record.physical(0)
    let means: [Double] = [1, -1, 406, .nan, -8192]
    let expected = means.map { ($0 - 6) / 200 }
    #expect(physical.count == 5)
    for (got, want) in zip(physical, expected) {
      #expect(got == want || (got.isNaN && want.isNaN), "\(physical) vs \(expected)")
    }
    #expect(record.physical(1) == [0.1, 0.2, 0.3, 0.4, 0.5])
    #expect(record.physicalSamples(0).count == 20)
  }

  @Test func formatEightKeepsOneRunningValuePerSignal() throws {
    // Two samples per frame for the first signal: its differences accumulate across the frame's samples.
    let header = try WFDBHeader(parsing: "r 2 100 3\nr.dat 8x2 100 8 0 10 0 0 a\nr.dat 8 100 8 0 -5 0 0 b\n")
    let bytes: [UInt8] = [1, 2, 3, 4, 5, 0xFF, 0xFE, 0xFD, 0xFC]  // frames: (+1 +2 | +3), (+4 +5 | -1), (-2 -3 | -4)
    let record = try WFDBRecord(header: header, dataFiles: ["r.dat": Data(bytes)])
    #expect(record.digital[0] == [11, 13, 17, 22, 20, 17])
    #expect(record.digital[1] == [-2, -3, -7])
  }
}
