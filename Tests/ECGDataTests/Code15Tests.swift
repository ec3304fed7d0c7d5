import Foundation
import Testing

@testable import ECGData

/// CODE-15 through libhdf5; skipped with a message when the library is not installed.
@Suite(.enabled(if: (try? HDF5Library.load()) != nil, "libhdf5 missing: apt-get install libhdf5-103 (or libhdf5-dev)"))
struct Code15Tests {
  @Test func readsExamsTrimsPaddingAndBuildsReports() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let frames = 4096
    var tracings = [Float](repeating: 0, count: 3 * frames * 12)
    for exam in 0..<3 {
      // Exam 1 is 7 s long (2800 samples) padded symmetrically with 648 zeros on each side.
      let range = exam == 1 ? 648..<(648 + 2800) : 0..<frames
      for t in range {
        for c in 0..<12 {
          tracings[(exam * frames + t) * 12 + c] = Float(SyntheticRecords.value(lead: c, sample: t, rate: 400)) + 1
        }
      }
    }
    do {
      let file = try HDF5File(creating: root.appendingPathComponent("exams_part0.hdf5").path)
      try file.writeFloat("tracings", shape: [3, frames, 12], values: tracings)
      try file.writeInt64("exam_id", shape: [3], values: [1169160, 2873686, 0])
    }
    try SyntheticRecords.writeText(
      """
      exam_id,age,is_male,nn_predicted_age,1dAVb,RBBB,LBBB,SB,ST,AF,patient_id,death,timey,normal_ecg,trace_file
      1169160,38,True,40.1,False,True,False,True,False,False,523632,False,2.09,False,exams_part0.hdf5
      2873686,73,True,67.5,False,False,False,False,False,False,1724173,False,6.5,True,exams_part0.hdf5
      9999999,73,True,67.5,False,False,False,False,False,False,1,False,6.5,True,exams_part3.hdf5

      """, to: root.appendingPathComponent("exams.csv"))
    let source = Code15Source(root: root)
    let records = try source.records()
    // An exam listed in exams.csv but in no HDF5 part is kept as a record to skip, so the summary counts it.
    #expect(records.map(\.id) == ["1169160", "2873686", "9999999"])
    #expect(records[2].problem?.reason == "no tracing")
    #expect(records[0].report == "right bundle branch block; sinus bradycardia")
    #expect(records[0].classes == ["RBBB", "SB"])
    #expect(records[1].report == "normal ecg")
    #expect(records[1].patientID == "1724173")
    #expect(records[1].row == 1)
    #expect(try source.load(records[0]).leads[0].count == 4096)
    let trimmed = try source.load(records[1])
    #expect(trimmed.leads[0].count == 2800)
    #expect(trimmed.leads[3][0] == Double(Float(SyntheticRecords.value(lead: 3, sample: 648, rate: 400)) + 1))
    var summary = PreprocessSummary()
    #expect(try RecordProcessor().process(records[0], source: source, summary: &summary).count == 1)  // 4096 → 2560
    #expect(throws: RecordSkip.self) { try RecordProcessor().process(records[1], source: source, summary: &summary) }  // 1750 < 2500

    let out = root.appendingPathComponent("store")
    let manifest = try await Preprocessor.run(
      source: source, output: out, options: PreprocessOptions(), createdBy: "test")
    #expect(manifest.windowCount == 1)
    #expect(manifest.summary.skipped == ["shorter than one window": 1, "no tracing": 1])
    let metadata = try DatasetStore(url: out).metadata(at: 0)
    #expect(metadata.source == "code15" && metadata.originalRate == 400 && metadata.patientID == "523632")
  }
}
