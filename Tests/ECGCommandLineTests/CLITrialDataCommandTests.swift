import ECGData
import Foundation
import TestSupport
import Testing

@testable import ECGCommandLine

/// Regressions of `/work/shared/reviews/cli-trial-1.md` in the data commands: each test runs a finding's command,
/// which now fails cleanly or works.
@Suite struct CLITrialDataCommandTests {
  @Test("finding 1: --overwrite never replaces a plain folder, a file or the input")
  func overwriteReplacesOnlyStores() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let plain = root.appendingPathComponent("a")
    try FileManager.default.createDirectory(at: plain.appendingPathComponent("b"), withIntermediateDirectories: true)
    try Data("x".utf8).write(to: plain.appendingPathComponent("keep"))
    let message = await CLITrial.error(["data", "synth", "--count", "5", "--out", plain.path, "--overwrite", "--quiet"])
    #expect(message?.contains("is not a dataset store") == true)
    let raw = root.appendingPathComponent("px")
    try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
    for out in [raw.path, root.path] {
      let refused = await CLITrial.error([
        "preprocess", "--source", "wfdb", "--input", raw.path, "--out", out, "--overwrite", "--quiet",
      ])
      #expect(refused != nil)
    }
    for out in [".", ".."] {
      #expect(await CLITrial.error(["data", "synth", "--count", "5", "--out", out, "--overwrite", "--quiet"]) != nil)
    }
    #expect(FileManager.default.fileExists(atPath: plain.appendingPathComponent("keep").path))
    #expect(FileManager.default.fileExists(atPath: raw.path))
  }

  @Test("finding 3: non-finite or absurd --target-fs is refused with its bounds")
  func targetRateBounds() async {
    for rate in ["inf", "nan", "1e12", "0", "-5"] {
      let message = await CLITrial.error([
        "preprocess", "--source", "wfdb", "--input", "x", "--out", "y", "--target-fs=\(rate)",
      ])
      #expect(message?.contains("--target-fs must be a finite rate") == true)
    }
  }

  @Test("finding 4: --top=-1 is a usage error, not a crash")
  func negativeTop() async {
    #expect(await CLITrial.error(["data", "info", "s", "--top=-1"])?.contains("--top must be 0 or more") == true)
  }

  @Test("finding 7: an absurd --count is refused before anything is written")
  func absurdCount() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("g").path
    #expect(await CLITrial.error(["data", "synth", "--count", "99999999999999", "--out", out]) != nil)
    let message = await CLITrial.error(["data", "synth", "--count", "900000000", "--out", out, "--quiet"])
    #expect(message?.contains("are free there") == true)
    #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
  }

  @Test("finding 12: a truncated or hostile .npy is skipped and counted; the import goes on")
  func importSkipsBadFiles() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("mimic_iv/preprocessed_4")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let good = DataImportCommandTests.window
    // Sorted first, so the rate is not taken from a bad file.
    try good.prefix(good.count / 2).write(to: folder.appendingPathComponent("a_truncated_0.npy"))
    try Data("\u{93}NUMPY garbage".utf8).write(to: folder.appendingPathComponent("b_hostile_0.npy"))
    for s in 0..<2 { try good.write(to: folder.appendingPathComponent("files_p1000_p10000032_s1_1_\(s).npy")) }
    let out = root.appendingPathComponent("store").path
    #expect(
      await CLITrial.error([
        "data", "import", "--reference-dir", root.path, "--name", "mimic_iv", "--out", out, "--segment-len", "4",
        "--quiet",
      ]) == nil)
    let store = try DatasetStore(path: out)
    #expect(store.count == 2)
    #expect(store.manifest.summary.skipped.values.reduce(0, +) == 2)
  }

  @Test("finding 13: the manifest records the full command line, quoted for the shell")
  func fullCommandLine() {
    #expect(
      CommandLineText.text(["preprocess", "--out", "my store", "--split", "patient", "--limit", "12"])
        == "ecg preprocess --out 'my store' --split patient --limit 12")
    #expect(CommandLineText.quoted("it's") == "'it'\\''s'")
  }

  @Test("finding 14: a run that stores nothing exits non-zero")
  func emptyRunFails() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let message = await CLITrial.error([
      "preprocess", "--source", "wfdb", "--input", SharedFixtures.dataDirectory.appendingPathComponent("wfdb").path,
      "--out", root.appendingPathComponent("o").path, "--segment-len", "30000000", "--quiet",
    ])
    #expect(message?.hasPrefix("nothing was stored") == true)
  }

  @Test("finding 15: an unwritable --out is a sentence naming the path, not a Foundation dump")
  func unwritableOut() async {
    for arguments in [
      ["data", "synth", "--count", "2", "--out", "/proc/ecg-trial/s", "--quiet"],
      [
        "record", "export", SharedFixtures.dataDirectory.appendingPathComponent("wfdb/100").path, "--out",
        "/proc/x/y.csv",
      ],
    ] {
      let message = await CLITrial.error(arguments)
      #expect(message?.contains("cannot") == true)
      #expect(message?.contains("NSCocoaErrorDomain") == false)
    }
  }

  @Test("finding 15: any Foundation error reaching the top is a sentence")
  func foundationErrorsAreTranslated() {
    let denied = ErrorOutput.translated(CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/a/b"]))
    #expect("\(denied)" == "cannot use /a/b: permission denied; choose a folder you can write to")
    let full = ErrorOutput.translated(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC)))
    #expect("\(full)" == "a file operation failed: the disk is full")
  }

  @Test("finding 19: bench loader without --tokenizer says that bpe_symbolic was skipped")
  func benchLoaderNotesTheSkip() async {
    let command = try? BenchLoaderCommand.parse([
      "--windows", "4", "--batch-size", "2", "--batches", "1", "--workers", "0",
    ])
    #expect(command?.tokenizer == nil)
    #expect(
      BenchLoaderCommand.helpMessage().contains("without it bpe_symbolic is skipped"))
  }

  @Test("finding 20: a protocol-0 pickle is named as an unsupported file, not a safetensors header")
  func protocolZeroPickle() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let evil = root.appendingPathComponent("evil_p0.pkl")
    try Data("cposix\nsystem\n(S'echo hi'\ntR.".utf8).write(to: evil)
    let message = await CLITrial.error(["checkpoint", "inspect", evil.path])
    #expect(message?.contains("is not a safetensors file, a ZIP checkpoint") == true)
    let corrupt = root.appendingPathComponent("corrupt_p2.pkl")
    try Data([0x80, 0x02, 0x7D, 0x71, 0x00, 0xFF, 0xFF]).write(to: corrupt)
    let second = await CLITrial.error(["checkpoint", "inspect", corrupt.path])
    #expect(second?.contains("legacy (pre-1.6)") == false)
    let converted = await CLITrial.error([
      "checkpoint", "convert", corrupt.path, root.appendingPathComponent("out").path,
    ])
    #expect(converted?.contains("corrupt") == true)
  }

  @Test("finding 27: record show and export agree on fmt; data info says 1 shard")
  func consistentFields() throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let url = root.appendingPathComponent("s")
    try SyntheticDataset.write(count: 2, seed: 0, to: url)
    #expect(try DataInfoCommand.describe(DatasetStore(url: url), top: 3, verified: false).contains("in 1 shard\n"))
    let record = try WFDBRecord(contentsOf: SharedFixtures.dataDirectory.appendingPathComponent("wfdb/100").path)
    #expect(RecordShowCommand.json(record.header).contains("\"fmt\": \"212\""))
    #expect(RecordExportCommand.json(record).contains("\"fmt\": \"212\""))
  }
}
