import Foundation
import Testing

@testable import ECGCommandLine

/// `ecg bench text`: its dump of the reports is an output like any other.
@Suite struct BenchTextCommandTests {
  /// `--dump-reports` replaced any file without a word (a trained tokenizer, in the audit that found it).
  @Test func anExistingReportsFileIsKeptWithoutOverwrite() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let file = root.appendingPathComponent("tokenizer.json")
    try Data("{\"keep\": true}".utf8).write(to: file)
    let bench = [
      "bench", "text", "--batch", "2", "--max-length", "8", "--repeats", "1", "--warmup", "0", "--threads", "1",
    ]
    let kept = await CLITrial.error(bench + ["--dump-reports", file.path])
    #expect(kept?.hasSuffix("already exists; pass --overwrite to replace it") == true, "\(kept ?? "accepted")")
    #expect(try String(contentsOf: file, encoding: .utf8) == "{\"keep\": true}")
    #expect(await CLITrial.error(bench + ["--dump-reports", file.path, "--overwrite"]) == nil)
    #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count == 2)
    #expect(await CLITrial.error(["bench", "text", "--warmup", "-1"]) == "--warmup must be 0 or more, got -1")
  }
}
