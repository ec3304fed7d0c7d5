import ECGData
import ECGTokenizer
import Foundation
import Testing

@testable import ECGCommandLine

/// Regressions of `/work/shared/reviews/cli-trial-1.md` in the tokenizer commands.
@Suite struct CLITrialTokenizerTests {
  /// Two small stores of different synthetic data in a new folder.
  static func stores() throws -> (root: URL, a: String, b: String) {
    let root = try CLITrial.folder()
    try SyntheticDataset.write(count: 3, seed: 1, to: root.appendingPathComponent("a"))
    try SyntheticDataset.write(count: 4, seed: 2, to: root.appendingPathComponent("b"))
    return (root, root.appendingPathComponent("a").path, root.appendingPathComponent("b").path)
  }

  @Test("finding 9: --resume refuses other data, another --sample and fewer merges")
  func resumeChecksTheData() async throws {
    let (root, a, b) = try Self.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("t.json").path
    #expect(
      await CLITrial.error(["tokenizer", "train", "--data", a, "--merges", "20", "--out", out, "--quiet"]) == nil)
    let other = await CLITrial.error(["tokenizer", "train", "--data", b, "--merges", "30", "--out", out, "--resume"])
    #expect(other?.contains("was trained on other data") == true)
    let sample = await CLITrial.error([
      "tokenizer", "train", "--data", a, "--merges", "30", "--out", out, "--resume", "--sample", "2",
    ])
    #expect(sample?.contains("--sample") == true)
    let fewer = await CLITrial.error(["tokenizer", "train", "--data", a, "--merges", "10", "--out", out, "--resume"])
    #expect(fewer?.contains("already holds 20 merges") == true)
    #expect(
      await CLITrial.error(["tokenizer", "train", "--data", a, "--merges", "25", "--out", out, "--resume", "--quiet"])
        == nil)
    #expect(try ECGByteTokenizer(contentsOf: out).merges.count == 25)
  }

  @Test("finding 10: an existing tokenizer is replaced only with --overwrite (train and convert)")
  func existingFilesAreKept() async throws {
    let (root, a, _) = try Self.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let keep = root.appendingPathComponent("keep.json").path
    #expect(
      await CLITrial.error(["tokenizer", "train", "--data", a, "--merges", "8", "--out", keep, "--quiet"]) == nil)
    let before = try Data(contentsOf: URL(fileURLWithPath: keep))
    #expect(
      await CLITrial.error(["tokenizer", "train", "--data", a, "--merges", "3", "--out", keep])?.contains("--overwrite")
        == true)
    #expect(await CLITrial.error(["tokenizer", "convert", keep, keep])?.contains("--overwrite") == true)
    #expect(try Data(contentsOf: URL(fileURLWithPath: keep)) == before)
    #expect(
      await CLITrial.error([
        "tokenizer", "train", "--data", a, "--merges", "3", "--out", keep, "--overwrite", "--quiet",
      ])
        == nil)
    #expect(try ECGByteTokenizer(contentsOf: keep).merges.count == 3)
  }

  @Test("finding 16: --out is checked before training")
  func outIsCheckedFirst() async throws {
    let (root, a, _) = try Self.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("nodir/x/t.json").path
    let symbols = root.appendingPathComponent("symbols.txt").path
    try Data("abcabc\n".utf8).write(to: URL(fileURLWithPath: symbols))
    let same = await CLITrial.error([
      "tokenizer", "train", "--data", symbols, "--merges", "2", "--out", symbols, "--overwrite",
    ])
    #expect(same?.contains("is the training data") == true)
    let message = await CLITrial.error(["tokenizer", "train", "--data", a, "--merges", "5", "--out", out])
    #expect(message?.contains("no such folder") == true)
  }

  @Test("finding 21: the first broken merge is the one named")
  func firstBrokenMerge() throws {
    let tokens = try BPETrainer(targetMerges: 20).train(corpus: Array("abababcdcdcdabcdabcdeeeeffff".utf8)).tokenizer
    let text = tokens.jsonText()
    let broken = tokens.merges.first { merge in
      tokens.merges.contains { $0.pair.map { [Int($0.0), Int($0.1)].contains(Int(merge.id)) } ?? false }
    }!
    let spelling = String(decoding: broken.spelling, as: UTF8.self)
    let damaged = text.replacingOccurrences(
      of: "{\"id\": \(broken.id), \"text\": \"\(spelling)\"", with: "{\"id\": \(broken.id), \"text\": \"\"")
    #expect(damaged != text)
    #expect {
      try ECGByteTokenizer(json: Data(damaged.utf8))
    } throws: { error in
      (error as? TokenizerError)?.message.hasPrefix("merge \(broken.id) ") == true
    }
  }

  @Test("finding 23: the help of every --data option mentions dataset stores")
  func helpMentionsStores() {
    for help in [
      TokenizerTrainCommand.helpMessage(), TokenizerEncodeCommand.helpMessage(), TokenizerInspectCommand.helpMessage(),
      BenchTokenizerCommand.helpMessage(),
    ] {
      #expect(help.split(whereSeparator: \.isWhitespace).joined(separator: " ").contains("dataset store"))
    }
  }
}
