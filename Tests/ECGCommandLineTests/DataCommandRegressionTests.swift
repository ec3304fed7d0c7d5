import ECGData
import Foundation
import Testing

@testable import ECGCommandLine

/// Regressions found by an audit of the data commands (its finding numbers in the test names): `ecg preprocess`,
/// `ecg data import` and `ecg record show`.
@Suite struct DataCommandRegressionTests {
  @Test("D7: a missing --english-reports file blames --english-reports, not --input")
  func missingEnglishReports() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let input = root.appendingPathComponent("ptb")
    try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
    try "ecg_id,patient_id,report,scp_codes,strat_fold,filename_hr\n1,1,a,\"{}\",1,records500/00000/00001_hr\n"
      .write(to: input.appendingPathComponent("ptbxl_database.csv"), atomically: true, encoding: .utf8)
    try ",description,diagnostic,diagnostic_class\n".write(
      to: input.appendingPathComponent("scp_statements.csv"), atomically: true, encoding: .utf8)
    let missing = root.appendingPathComponent("nonexist.csv").path
    let message = await CLITrial.error([
      "preprocess", "--source", "ptb_xl", "--input", input.path, "--out", root.appendingPathComponent("x").path,
      "--english-reports", missing, "--quiet",
    ])
    #expect(message?.contains("--english-reports \(missing): no such file") == true)
    #expect(message?.contains("--input") == false)
  }

  /// A reference folder of two MIMIC-IV windows of one record and one file that is not a window.
  static func referenceFolder(_ root: URL) throws {
    let folder = root.appendingPathComponent("mimic_iv/preprocessed_4")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for s in 0..<2 {
      try DataImportCommandTests.window.write(to: folder.appendingPathComponent("files_p1000_p10000032_s1_1_\(s).npy"))
    }
    try Data("not a window".utf8).write(to: folder.appendingPathComponent("files_p1000_p10000033_s2_2_0.npy"))
  }

  @Test("D10: the import summary counts files read and skipped, records stored")
  func importSummaryUnits() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.referenceFolder(root)
    let out = root.appendingPathComponent("store").path
    #expect(
      await CLITrial.error([
        "data", "import", "--reference-dir", root.path, "--name", "mimic_iv", "--out", out, "--segment-len", "4",
        "--quiet",
      ]) == nil)
    let summary = ProgressPrinter(quiet: true, unit: "files").summary(try DatasetStore(path: out).manifest, store: out)
    #expect(summary.contains("files read        3"))
    #expect(summary.contains("records stored    1"))
    #expect(summary.contains("windows written   2"))
    #expect(summary.contains("files skipped     1"))
    #expect(!summary.contains("records read") && !summary.contains("records skipped"))
  }

  @Test("D4: an import with --keep-lead-order says aVL, aVR in store.json and the index")
  func keptOrderIsLabelled() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    try Self.referenceFolder(root)
    let out = root.appendingPathComponent("store").path
    #expect(
      await CLITrial.error([
        "data", "import", "--reference-dir", root.path, "--name", "mimic_iv", "--out", out, "--segment-len", "4",
        "--keep-lead-order", "--quiet",
      ]) == nil)
    let store = try DatasetStore(path: out)
    #expect(store.manifest.leads[3...4] == ["aVL", "aVR"])
    #expect(try store.metadata(at: 0).leadNames[3...4] == ["aVL", "aVR"])
    #expect(Array(store.window(at: 0)[12..<16]) == [30, 31, 32, 33])
  }

  /// A two-signal record `r` in `folder`.
  static func record(_ folder: URL) throws -> URL {
    try WFDBWriter.write(
      name: "r", folder: folder, samplingFrequency: 100,
      signals: [
        WFDBWriter.Signal(name: "I", gain: 10, digital: [1, 2, 3, 4]),
        WFDBWriter.Signal(name: "II", gain: 10, digital: [5, 6, 7, 8]),
      ])
    return folder.appendingPathComponent("r")
  }

  @Test("D10: record show prints the header of a record whose data file is missing or truncated")
  func showWithUnreadableData() throws {
    let folder = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try Self.record(folder).path
    let data = folder.appendingPathComponent("r.dat")
    #expect(try RecordShowCommand.read(path).dataProblem == nil)

    try Data(try Data(contentsOf: data).prefix(5)).write(to: data)
    let truncated = try RecordShowCommand.read(path)
    #expect(truncated.header.signals.map(\.description) == ["I", "II"])
    let text = RecordShowCommand.text(truncated.header, dataProblem: truncated.dataProblem)
    #expect(text.contains("signals    2"))
    #expect(text.split(separator: "\n").last?.hasPrefix("data       unreadable: ") == true)

    try FileManager.default.removeItem(at: data)
    let missing = try RecordShowCommand.read(path)
    #expect(missing.dataProblem?.contains("missing data file") == true)
    let json =
      try JSONSerialization.jsonObject(
        with: Data(RecordShowCommand.json(missing.header, dataProblem: missing.dataProblem).utf8)) as! [String: Any]
    #expect((json["data_error"] as? String)?.contains("r.dat") == true)
    #expect((json["signals"] as? [Any])?.count == 2)
    // A record whose header is missing is still an error.
    #expect(throws: CommandError.self) { try RecordShowCommand.read(folder.appendingPathComponent("none").path) }
  }
}
