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

/// Audit 3 D5 and D10: an unreadable part costs its own exams only; skip messages name the exam.
@Suite(.enabled(if: (try? HDF5Library.load()) != nil, "libhdf5 missing: apt-get install libhdf5-103 (or libhdf5-dev)"))
struct Code15UnreadablePartTests {
  /// `exams_part0.hdf5` with a 4096-sample exam 11 and a 2800-sample exam 12 (too short for one window), and
  /// `exams.csv` listing exams 11, 12 (part 0), 21 (part 1) and 31 (part 2).
  static func dataset(_ root: URL, traceFileColumn: Bool = true) throws {
    let frames = 4096
    var tracings = [Float](repeating: 0, count: 2 * frames * 12)
    for exam in 0..<2 {
      let range = exam == 1 ? 648..<(648 + 2800) : 0..<frames
      for t in range {
        for c in 0..<12 { tracings[(exam * frames + t) * 12 + c] = Float(c + 1) * 0.1 + Float(t % 7) * 0.01 }
      }
    }
    let file = try HDF5File(creating: root.appendingPathComponent("exams_part0.hdf5").path)
    try file.writeFloat("tracings", shape: [2, frames, 12], values: tracings)
    try file.writeInt64("exam_id", shape: [2], values: [11, 12])
    let header = "exam_id,1dAVb,RBBB,LBBB,SB,ST,AF,patient_id,normal_ecg" + (traceFileColumn ? ",trace_file" : "")
    let rows = [(11, 0), (12, 0), (21, 1), (31, 2)].map { id, part in
      "\(id),False,False,False,False,False,False,\(id),True" + (traceFileColumn ? ",exams_part\(part).hdf5" : "")
    }
    try SyntheticRecords.writeText(
      ([header] + rows).joined(separator: "\n") + "\n", to: root.appendingPathComponent("exams.csv"))
  }

  @Test(
    "D5: a part that is not HDF5, or lacks 'tracings', skips its exams; the others are stored",
    arguments: [true, false])
  func unreadablePartsSkipTheirExams(traceFileColumn: Bool) async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.dataset(root, traceFileColumn: traceFileColumn)
    // Part 1: a truncated download; part 2: exam ids but no tracings.
    try Data(repeating: 0x42, count: 3000).write(to: root.appendingPathComponent("exams_part1.hdf5"))
    do {
      let part2 = try HDF5File(creating: root.appendingPathComponent("exams_part2.hdf5").path)
      try part2.writeInt64("exam_id", shape: [1], values: [31])
    }
    let manifest = try await Preprocessor.run(
      source: Code15Source(root: root), output: root.appendingPathComponent("store"), options: PreprocessOptions(),
      createdBy: "test")
    #expect(manifest.windowCount == 1)
    #expect(manifest.summary.skipped == ["unreadable HDF5 file": 2, "shorter than one window": 1])
    let examples = manifest.summary.skipExamples.joined(separator: "\n")
    #expect(examples.contains("exams_part0.hdf5 exam_id 12"))
    if traceFileColumn {
      #expect(examples.contains("exam_id 21") && examples.contains("exams_part1.hdf5"))
      #expect(examples.contains("exam_id 31") && examples.contains("exams_part2.hdf5: no dataset 'tracings'"))
    }
    #expect(examples.contains("re-download"))
  }
}
