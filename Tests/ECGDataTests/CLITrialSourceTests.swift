import Foundation
import Testing

@testable import ECGData

/// Regressions of `/work/shared/reviews/cli-trial-1.md` in the readers and sources.
@Suite struct CLITrialSourceTests {
  @Test("finding 2: 0 signals is a legal header; a negative count is a bad header; preprocess skips both")
  func signalCounts() async throws {
    let empty = try WFDBHeader(parsing: "z 0 500 5000\n")
    #expect(empty.signals.isEmpty && empty.numberOfFrames == 5000)
    #expect {
      try WFDBHeader(parsing: "z -3 500 5000\n")
    } throws: { error in
      (error as? WFDBError)?.kind == .badHeader
    }
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let raw = root.appendingPathComponent("raw")
    try SyntheticRecords.write(name: "r0", folder: raw)
    try SyntheticRecords.writeText("z 0 500 5000\n", to: raw.appendingPathComponent("z.hea"))
    try SyntheticRecords.writeText("y -3 500 5000\n", to: raw.appendingPathComponent("y.hea"))
    let manifest = try await Preprocessor.run(
      source: ChallengeSource(root: raw, kind: .wfdb), output: root.appendingPathComponent("store"),
      options: PreprocessOptions(), createdBy: "test")
    #expect(manifest.recordCount == 1)
    #expect(manifest.summary.skipped == ["no ECG leads": 1, "bad header": 1])
  }

  @Test("finding 3: absurd or non-finite rates never trap the resampler's length")
  func resampledLengthSaturates() {
    #expect(Resampler.outputLength(count: 5000, from: 500, to: .infinity) == Int.max)
    #expect(Resampler.outputLength(count: 5000, from: 500, to: 1e300) == Int.max)
    #expect(Resampler.outputLength(count: 5000, from: 500, to: .nan) == 0)
    #expect(Resampler.outputLength(count: 5000, from: 500, to: 1e-300) == 0)
  }

  @Test(
    "finding 8 and 22: non-finite gains and rates are bad headers, like other header faults",
    arguments: [
      "r 1 inf 5000\nr.dat 16 200 16 0 0 0 0 I\n", "r 1 nan 5000\nr.dat 16 200 16 0 0 0 0 I\n",
      "r 1 500 5000\nr.dat 16 nan(0)/mV 16 0 0 0 0 I\n", "r 1 500 5000\nr.dat 16 inf 16 0 0 0 0 I\n",
      "r 1 500/abc 5000\nr.dat 16 200 16 0 0 0 0 I\n", "r 1 500/inf 5000\nr.dat 16 200 16 0 0 0 0 I\n",
      "r 1 500 5000\nr.dat 16 abc 16 0 0 0 0 I\n", "r 1 500 5000\nr.dat abc 200 16 0 0 0 0 I\n",
      "r 1 ( 5000\n",
    ])
  func nonFiniteHeaderFieldsAreBadHeaders(text: String) {
    #expect {
      try WFDBHeader(parsing: text)
    } throws: { error in
      (error as? WFDBError)?.kind == .badHeader
    }
  }

  @Test(
    "finding 11: a bad PTB-XL row is skipped with its reason; bad folds warn; duplicates skip; blank patients are null")
  func badDatabaseRows() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    for i in 1...5 {
      try SyntheticRecords.write(name: "0000\(i)_hr", folder: root.appendingPathComponent("records500/00000"))
    }
    try SyntheticRecords.writeText(
      """
      ecg_id,patient_id,report,scp_codes,strat_fold,filename_hr
      1,15709.0,a,"{'NORM': 100.0",10,records500/00000/00001_hr
      2,,b,"{'NORM': 100.0}",abc,records500/00000/00002_hr
      3,,c,"{'NORM': 100.0}",,records500/00000/00003_hr
      3,7.0,c,"{'NORM': 100.0}",1,records500/00000/00004_hr
      5,8.0,d,"{'NORM': 100.0}",9,records500/00000/00005_hr

      """, to: root.appendingPathComponent("ptbxl_database.csv"))
    try SyntheticRecords.writeText(
      ",description,diagnostic,diagnostic_class\nNORM,normal ECG,1.0,NORM\n",
      to: root.appendingPathComponent("scp_statements.csv"))
    let source = PTBXLSource(root: root)
    let records = try source.records()
    #expect(records[0].problem?.reason == "bad database row")
    #expect(records[1].patientID == nil && records[2].patientID == nil)
    #expect(records[1].warnings.map(\.reason) == ["bad strat_fold"])
    let manifest = try await Preprocessor.run(
      source: source, output: root.appendingPathComponent("store"), options: PreprocessOptions(), createdBy: "test")
    #expect(manifest.summary.skipped == ["bad database row": 1, "duplicate record id": 1])
    #expect(manifest.summary.warnings == ["bad strat_fold": 2])
    #expect(manifest.recordCount == 3)
    let store = try DatasetStore(url: root.appendingPathComponent("store"))
    let patients = try (0..<store.count).map { try store.metadata(at: $0).patientID }
    #expect(patients == [nil, nil, "8"])
  }
}
