import Foundation
import Testing

@testable import ECGData

/// Regressions found by an audit of the data side (its finding numbers in the test names) in the sources, the
/// processor and the store: lead order, resume settings, English reports, blank patient ids.
@Suite struct DataInputRegressionTests {
  @Test("D4: --keep-lead-order stores aVL before aVR and names the leads so; consumers can tell")
  func keptLeadOrderIsNamed() async throws {
    let root = try ReferenceImportTests.folder(name: "mimic_iv")
    defer { try? FileManager.default.removeItem(at: root) }
    let source = try ReferenceFolderSource(dataDirectory: root, name: "mimic_iv", segmentLength: 4, keepLeadOrder: true)
    var options = PreprocessOptions()
    options.segmentLength = 4
    let out = root.appendingPathComponent("store")
    let manifest = try await Preprocessor.run(source: source, output: out, options: options, createdBy: "test")
    #expect(manifest.leads == StandardLeads.referenceOrder)
    let store = try DatasetStore(url: out)
    // The file's channel 3 (aVL) stays channel 3, and is called aVL.
    #expect(Array(store.window(at: 0)[(3 * 4)..<(5 * 4)]) == [30, 31, 32, 33, 40, 41, 42, 43])
    #expect(try store.metadata(at: 0).leadNames == StandardLeads.referenceOrder)
    #expect(try store.absentLeadWindows().isEmpty)
    #expect(!store.hasStandardLeadOrder)
    #expect {
      try store.requireStandardLeadOrder(for: "ecg pretrain")
    } throws: { error in
      let message = (error as? StoreError)?.message ?? ""
      return message.contains(out.path) && message.contains("I II III aVL aVR") && message.contains("ecg pretrain")
        && message.contains("without --keep-lead-order")
    }
    // Read directly, the folder keeps its order the same way.
    let direct = try ReferenceFolderWindowSource(
      dataDirectory: root, name: "mimic_iv", segmentLength: 4, keepLeadOrder: true)
    #expect(Array(try direct.window(at: 0).values[(3 * 4)..<(4 * 4)]) == [30, 31, 32, 33])
  }

  @Test("D4: a store in the standard order passes; the lead order is a resume setting")
  func standardOrderPassesAndOrderIsASetting() throws {
    #expect(StoreWriter.differences(["leads": "I II III aVL aVR"], [:]).contains("→ I II III aVR aVL"))
    let order = try StandardLeads.mapping(
      from: ["V1", "aVR", "I", "aVL"], to: StandardLeads.referenceOrder)
    #expect(order[0] == 2 && order[3] == 3 && order[4] == 1 && order[6] == 0 && order[1] == nil)
  }

  /// A run of `source` into `out` that stops before its first shard, as a killed run leaves `out.partial`.
  static func interruptedRun(_ source: any RecordSource, out: URL, perShard: Int = 1) async {
    var settings = PreprocessOptions()
    settings.recordsPerShard = perShard
    let options = settings
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await Preprocessor.run(source: source, output: out, options: options, createdBy: "first")
    }
    _ = try? await task.value
  }

  /// The error of resuming `out` with `source`, nil when it resumes.
  static func resumeError(_ source: any RecordSource, out: URL) async -> String? {
    var options = PreprocessOptions()
    options.recordsPerShard = 1
    do {
      _ = try await Preprocessor.run(source: source, output: out, options: options, createdBy: "second")
      return nil
    } catch {
      return (error as? StoreError)?.message ?? "\(error)"
    }
  }

  @Test("D6: a resume with or without --require-12-leads is refused, naming it", arguments: [false, true])
  func requireAllLeadsIsAResumeSetting(firstRequires: Bool) async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let raw = root.appendingPathComponent("raw")
    try SyntheticRecords.write(name: "r0", folder: raw)
    try SyntheticRecords.write(name: "r1", folder: raw, leads: ["I", "II", "V1"])
    let out = root.appendingPathComponent("store")
    await Self.interruptedRun(ChallengeSource(root: raw, kind: .wfdb, requireAllLeads: firstRequires), out: out)
    #expect(FileManager.default.fileExists(atPath: out.path + ".partial/settings.json"))
    // The recorded command starts in the folder it ran in, where its relative paths hold.
    let command = try String(contentsOfFile: out.path + ".partial/" + StoreWriter.commandFileName, encoding: .utf8)
    #expect(command == "cd \(StoreWriter.shellWord(FileManager.default.currentDirectoryPath)) && first\n")
    let message = await Self.resumeError(
      ChallengeSource(root: raw, kind: .wfdb, requireAllLeads: !firstRequires), out: out)
    #expect(message?.contains(firstRequires ? "require_12_leads: yes → no" : "require_12_leads: no → yes") == true)
    // The same settings resume.
    #expect(
      await Self.resumeError(ChallengeSource(root: raw, kind: .wfdb, requireAllLeads: firstRequires), out: out) == nil)
  }

  /// A three-record PTB-XL folder; record 2 has a blank patient id.
  static func ptbXL(_ root: URL) throws {
    for i in 1...3 {
      try SyntheticRecords.write(name: "0000\(i)_hr", folder: root.appendingPathComponent("records500/00000"))
    }
    try SyntheticRecords.writeText(
      """
      ecg_id,patient_id,report,scp_codes,strat_fold,filename_hr
      1,15709.0,deutsch eins,"{'NORM': 100.0}",1,records500/00000/00001_hr
      2,,deutsch zwei,"{'NORM': 100.0}",9,records500/00000/00002_hr
      3,8.0,deutsch drei,"{'NORM': 100.0}",10,records500/00000/00003_hr

      """, to: root.appendingPathComponent("ptbxl_database.csv"))
    try SyntheticRecords.writeText(
      ",description,diagnostic,diagnostic_class\nNORM,normal ECG,1.0,NORM\n",
      to: root.appendingPathComponent("scp_statements.csv"))
  }

  @Test("D6: the English reports file (path and content) is a resume setting")
  func englishReportsAreAResumeSetting() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let raw = root.appendingPathComponent("raw")
    try Self.ptbXL(raw)
    let english = root.appendingPathComponent("en.csv")
    try SyntheticRecords.writeText("ecg_id,report\n1,one\n2,two\n3,three\n", to: english)
    let out = root.appendingPathComponent("store")
    await Self.interruptedRun(PTBXLSource(root: raw), out: out)
    let added = await Self.resumeError(PTBXLSource(root: raw, englishReports: english), out: out)
    #expect(added?.contains("english_reports: none → \(english.path)") == true)

    try FileManager.default.removeItem(atPath: out.path + ".partial")
    await Self.interruptedRun(PTBXLSource(root: raw, englishReports: english), out: out)
    try SyntheticRecords.writeText("ecg_id,report\n1,uno\n2,dos\n3,tres\n", to: english)
    let edited = await Self.resumeError(PTBXLSource(root: raw, englishReports: english), out: out)
    #expect(edited?.contains("english_reports_xxh64") == true)
    #expect(edited?.contains("english_reports:") == false)
  }

  @Test("D7: a missing --english-reports file is named as such")
  func missingEnglishReportsNamesTheFlag() throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.ptbXL(root)
    let missing = root.appendingPathComponent("nonexist.csv")
    #expect {
      try PTBXLSource(root: root, englishReports: missing).records()
    } throws: { error in
      let message = (error as? DataSourceError)?.message ?? ""
      return message.contains("--english-reports") && message.contains(missing.path) && !message.contains("--input")
    }
  }

  @Test("D7 and D10: partial, duplicate and unparsable English reports are warnings; a blank patient is null")
  func englishReportFaultsAreWarnings() async throws {
    let root = try Fixtures.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let raw = root.appendingPathComponent("raw")
    try Self.ptbXL(raw)
    let english = root.appendingPathComponent("en.csv")
    try SyntheticRecords.writeText("ecg_id,report\n1,a\n1,b\nx,c\n", to: english)
    let out = root.appendingPathComponent("store")
    let manifest = try await Preprocessor.run(
      source: PTBXLSource(root: raw, englishReports: english), output: out, options: PreprocessOptions(),
      createdBy: "test")
    #expect(
      manifest.summary.warnings == [
        "no English report": 2, "duplicate id in --english-reports": 1, "unparsable id in --english-reports": 1,
      ])
    let examples = manifest.summary.warningExamples.joined(separator: "\n")
    #expect(examples.contains("ecg_id 1 has 2 rows"))
    #expect(examples.contains("ecg_id 'x' is not a whole number"))
    #expect(examples.contains("no row for ecg_id 2"))
    let store = try DatasetStore(url: out)
    #expect(try store.metadata(at: 0).report == "b")
    #expect(try store.metadata(at: 1).report == "deutsch zwei")
    // D10: the blank patient id is written as null, not left out.
    let index = try String(contentsOf: out.appendingPathComponent("index.jsonl"), encoding: .utf8)
    let lines = index.split(separator: "\n")
    #expect(lines.count == 3 && lines.allSatisfy { $0.contains("\"patient_id\":") })
    #expect(lines[1].contains("\"patient_id\":null"))
    #expect(try store.metadata(at: 1).patientID == nil)
  }
}
