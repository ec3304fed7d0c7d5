import Foundation
import Testing

@testable import ECGData

@Suite struct SourceTests {
  @Test func ptbXLRecordsLabelsSplitsAndPreprocessing() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let ptbLeads = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]
    try SyntheticRecords.write(
      name: "00001_hr", folder: root.appendingPathComponent("records500/00000"), leads: ptbLeads)
    try SyntheticRecords.write(
      name: "00002_hr", folder: root.appendingPathComponent("records500/00000"), leads: ptbLeads, rate: 250,
      frames: 2500)
    try SyntheticRecords.write(
      name: "00003_hr", folder: root.appendingPathComponent("records500/00000"), leads: Array(ptbLeads.prefix(6)))
    try SyntheticRecords.writeText(
      """
      ecg_id,patient_id,age,sex,report,scp_codes,strat_fold,filename_lr,filename_hr
      1,15709.0,56,1,"sinusrhythmus, normales ekg","{'NORM': 100.0, 'SR': 0.0}",10,records100/00000/00001_lr,records500/00000/00001_hr
      2,13243.0,19,0,sinusbradykardie,"{'IMI': 80.0}",3,records100/00000/00002_lr,records500/00000/00002_hr
      3,20372.0,37,1,x,"{'NORM': 100.0}",9,records100/00000/00003_lr,records500/00000/00003_hr
      4,17014.0,24,0,y,"{'NORM': 100.0}",9,records100/00000/00004_lr,records500/00000/00004_hr

      """, to: root.appendingPathComponent("ptbxl_database.csv"))
    try SyntheticRecords.writeText(
      """
      ,description,diagnostic,form,rhythm,diagnostic_class,diagnostic_subclass
      NORM,normal ECG,1.0,,,NORM,NORM
      IMI,inferior myocardial infarction,1.0,,,MI,IMI
      SR,sinus rhythm,,,1.0,,

      """, to: root.appendingPathComponent("scp_statements.csv"))
    try SyntheticRecords.writeText(
      "ecg_id,report\n1,sinus rhythm. normal ecg\n", to: root.appendingPathComponent("en.csv"))

    let source = PTBXLSource(root: root, englishReports: root.appendingPathComponent("en.csv"))
    let records = try source.records()
    #expect(records.count == 4)
    #expect(records[0].report == "sinus rhythm. normal ecg")
    #expect(records[1].report == "sinusbradykardie")
    #expect(records[0].labels == ["NORM": 100, "SR": 0])
    #expect(records[0].classes == ["NORM"])
    #expect(records[1].classes == ["MI"])
    #expect(records[0].patientID == "15709")
    #expect(records.map(\.officialSplit) == [.test, .train, .validation, .validation])
    #expect(records[0].referenceStem == "records500_00000_00001_hr")

    let out = root.appendingPathComponent("store")
    var options = PreprocessOptions()
    options.workers = 2
    options.recordsPerShard = 2
    let manifest = try await Preprocessor.run(source: source, output: out, options: options, createdBy: "test")
    #expect(manifest.summary.recordsRead == 4)
    #expect(manifest.summary.windowsWritten == 1)
    #expect(manifest.summary.skipped == ["wrong sampling rate": 1, "wrong lead set": 1, "missing data file": 1])
    #expect(manifest.summary.skipExamples.count == 3)
    #expect(manifest.statistics.windows == ["ptb_xl": ["test": 1]])
    #expect(manifest.statistics.classes == ["NORM": 1])
    #expect(manifest.statistics.labels == ["NORM": 1])
    let store = try DatasetStore(url: out)
    try store.verify()
    #expect(store.count == 1)
    #expect(store.split(at: 0) == .test)
    let metadata = try store.metadata(at: 0)
    #expect(metadata.leadNames[3] == "AVR")
    #expect(metadata.originalRate == 500)
    // Window values: resampled 500 → 250 Hz on the linspace grid; sample 0 is the first input sample.
    let window = store.window(at: 0)
    for lead in 0..<12 {
      #expect(abs(Double(window[lead * 2500]) - SyntheticRecords.value(lead: lead, sample: 0, rate: 500)) < 1e-3)
    }
  }

  @Test func mimicReordersLeadsByNameAndJoinsReports() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let stored = ["I", "II", "III", "aVR", "aVF", "aVL", "V1", "V2", "V3", "V4", "V5", "V6"]
    try SyntheticRecords.write(
      name: "40689238", folder: root.appendingPathComponent("files/p1000/p10000032/s40689238"), leads: stored)
    try SyntheticRecords.writeText(
      "subject_id,study_id,file_name,ecg_time,path\n10000032,40689238,40689238,2180-07-23 08:44:00,files/p1000/p10000032/s40689238/40689238\n10000033,1,1,x,files/none/1\n",
      to: root.appendingPathComponent("record_list.csv"))
    let reports = (0..<18).map { $0 == 0 ? "Sinus rhythm" : ($0 == 2 ? "Normal ECG" : "") }.joined(separator: ",")
    let header =
      "subject_id,study_id,cart_id,ecg_time," + (0..<18).map { "report_\($0)" }.joined(separator: ",") + ",bandwidth"
    try SyntheticRecords.writeText(
      header + "\n10000032,40689238,6848296,x," + reports + ",0.005-150 Hz\n10000033,1,1,x,"
        + String(repeating: ",", count: 17) + ",\n",
      to: root.appendingPathComponent("machine_measurements.csv"))
    let source = MIMICIVSource(root: root)
    let records = try source.records()
    #expect(records[0].report == "Sinus rhythm Normal ECG")
    #expect(records[0].patientID == "10000032")
    #expect(records[0].referenceStem == "files_p1000_p10000032_s40689238_40689238")
    var summary = PreprocessSummary()
    let windows = try RecordProcessor().process(records[0], source: source, summary: &summary)
    #expect(windows.count == 1)
    // Standard order: aVL is standard lead 4, stored as column 5.
    #expect(windows[0].metadata.leadNames[4] == "aVL")
    #expect(
      abs(Double(windows[0].values[4 * 2500 + 10]) - SyntheticRecords.value(lead: 4, sample: 20, rate: 500)) < 2e-3)
    #expect(throws: RecordSkip.self) { try RecordProcessor().process(records[1], source: source, summary: &summary) }
  }

  @Test func challengeRecordsWithMatOffsetAndSNOMEDReports() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try SyntheticRecords.write(
      name: "A0001", folder: root.appendingPathComponent("training/cpsc_2018/g1"), frames: 7500,
      comments: ["Age: 53", "Sex: Male", "Dx: 164889003,59118001", "Rx: Unknown"], byteOffset: 24,
      dataFileName: "A0001.mat")
    let header = try String(contentsOf: root.appendingPathComponent("training/cpsc_2018/g1/A0001.hea"), encoding: .utf8)
    #expect(header.contains("A0001.mat 16+24"))
    let source = ChallengeSource(root: root, kind: .cpsc)
    let records = try source.records()
    #expect(records.count == 1)
    #expect(records[0].report == "atrial fibrillation; right bundle branch block")
    #expect(records[0].labels == ["164889003": 1, "59118001": 1])
    #expect(records[0].classes == ["AF", "RBBB"])
    var summary = PreprocessSummary()
    let windows = try RecordProcessor().process(records[0], source: source, summary: &summary)
    #expect(windows.count == 1)  // 7500 → 3750 samples: one window, remainder dropped
  }

  @Test func genericWFDBKeepsPartialLeadSetsWithMask() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try SyntheticRecords.write(
      name: "r1", folder: root, leads: ["MLII", "V5"], rate: 360, frames: 3600, comments: ["69 M"])
    let source = ChallengeSource(root: root, kind: .wfdb)
    let records = try source.records()
    #expect(records[0].report == "69 M")
    var summary = PreprocessSummary()
    let windows = try RecordProcessor().process(records[0], source: source, summary: &summary)
    #expect(windows.count == 1)
    #expect(
      windows[0].metadata.leadMask == [
        false, true, false, false, false, false, false, false, false, false, true, false,
      ])
    #expect(windows[0].values[0..<2500].allSatisfy { $0 == 0 })
    let strict = ChallengeSource(root: root, kind: .wfdb, requireAllLeads: true)
    #expect(throws: RecordSkip.self) { try RecordProcessor().process(records[0], source: strict, summary: &summary) }
  }

  @Test func nonFiniteWindowsAreDroppedAndCounted() throws {
    var leads = (0..<12).map { c in (0..<10_000).map { SyntheticRecords.value(lead: c, sample: $0, rate: 250) } }
    leads[3][7000] = .nan
    let raw = RawECG(samplingRate: 250, leadNames: StandardLeads.names, leads: leads)
    let record = SourceRecord(id: "x", path: "x", report: "", referenceStem: "x")
    var summary = PreprocessSummary()
    let windows = try RecordProcessor().windows(
      of: raw, record: record, source: "wfdb",
      expectations: SourceExpectations(samplingRate: nil, frames: nil, allLeads: true),
      summary: &summary)
    #expect(windows.map(\.metadata.window) == [0, 1, 3])
    #expect(summary.windowsDroppedNonFinite == 1)
  }

  @Test func nonFiniteSamplesDropOnlyTheirWindowWhenResampling() throws {
    let clean = (0..<12).map { c in (0..<20_000).map { SyntheticRecords.value(lead: c, sample: $0, rate: 500) } }
    var dirty = clean
    dirty[5][16_000] = .nan
    dirty[2][16_003] = .infinity
    let record = SourceRecord(id: "x", path: "x", report: "", referenceStem: "x")
    let expectations = SourceExpectations(samplingRate: nil, frames: nil, allLeads: true)
    var summary = PreprocessSummary()
    let good = try RecordProcessor().windows(
      of: RawECG(samplingRate: 500, leadNames: StandardLeads.names, leads: clean), record: record, source: "wfdb",
      expectations: expectations, summary: &summary)
    let kept = try RecordProcessor().windows(
      of: RawECG(samplingRate: 500, leadNames: StandardLeads.names, leads: dirty), record: record, source: "wfdb",
      expectations: expectations, summary: &summary)
    // 20 000 samples at 500 Hz → 10 000 at 250 Hz: input 16 000 falls in window 3 of 4.
    #expect(kept.map(\.metadata.window) == [0, 1, 2])
    #expect(summary.windowsDroppedNonFinite == 1)
    // Bridging the bad samples leaves the kept windows as they would be without them.
    for (a, b) in zip(kept, good) {
      #expect(zip(a.values, b.values).allSatisfy { abs($0 - $1) <= 1e-6 })
    }
    #expect(NonFiniteSamples.bridged([.nan, 1, .nan, .nan, 4, .infinity]) == [1, 1, 2, 3, 4, 4])
  }

  @Test func csvParsesQuotesAndNewlines() throws {
    let table = try CSVTable(text: "a,b\n\"x, \"\"y\"\"\",\"multi\nline\"\r\n1,\n")
    #expect(table.rows == [["x, \"y\"", "multi\nline"], ["1", ""]])
    #expect(throws: DataSourceError.self) { try table.column("c") }
  }
}

@Suite struct PreprocessResumeTests {
  @Test func cancelledRunResumesWithoutRedoingFinishedShards() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    for i in 0..<4 { try SyntheticRecords.write(name: "r\(i)", folder: root.appendingPathComponent("raw")) }
    let source = ChallengeSource(root: root.appendingPathComponent("raw"), kind: .wfdb)
    let out = root.appendingPathComponent("store")
    var options = PreprocessOptions()
    options.workers = 1
    options.recordsPerShard = 1
    await #expect(throws: CancellationError.self) {
      _ = try await Preprocessor.run(source: source, output: out, options: options, createdBy: "test") { _ in
        withUnsafeCurrentTask { $0?.cancel() }
      }
    }
    #expect(!FileManager.default.fileExists(atPath: out.path))
    let firstShard = URL(fileURLWithPath: out.path + ".partial/shards/00000.f32")
    let written = try FileManager.default.attributesOfItem(atPath: firstShard.path)[.modificationDate] as? Date
    #expect(written != nil)
    try await Task.sleep(for: .milliseconds(20))
    let manifest = try await Preprocessor.run(source: source, output: out, options: options, createdBy: "test")
    #expect(manifest.windowCount == 4)
    #expect(manifest.summary.recordsRead == 4)
    #expect(!FileManager.default.fileExists(atPath: out.path + ".partial"))
    let kept =
      try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("shards/00000.f32").path)[
        .modificationDate] as? Date
    #expect(kept == written)
    try DatasetStore(url: out).verify()
  }

  @Test func microvoltRecordsAreStoredInMillivolts() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let signals = StandardLeads.names.map {
      WFDBWriter.Signal(name: $0, units: "uV", gain: 1, digital: [Int32](repeating: 500, count: 2500))
    }
    try WFDBWriter.write(name: "u", folder: root, samplingFrequency: 250, signals: signals)
    let source = ChallengeSource(root: root, kind: .wfdb)
    var summary = PreprocessSummary()
    let windows = try RecordProcessor().process(try source.records()[0], source: source, summary: &summary)
    #expect(windows[0].values.allSatisfy { $0 == 0.5 })
  }
}
