import ECGData
import ECGTokenizer
import Foundation
import Testing

@testable import ECGCommandLine

#if canImport(Glibc)
  import Glibc
#endif

/// Regressions found by an audit of the tokenizer commands (its finding numbers in the test names): unfinished
/// tokenizers, outputs inside a store or the input, two runs to one output, stores still being written.
@Suite struct TokenizerOutputSafetyTests {
  static func train(_ data: String, _ merges: Int, _ out: String, _ extra: [String] = []) async -> String? {
    await CLITrial.error(
      ["tokenizer", "train", "--data", data, "--merges", "\(merges)", "--out", out, "--quiet"] + extra)
  }

  @Test("D3: a killed train leaves only OUT.partial, which every reader refuses and --resume finishes")
  func killedTrainLeavesOnlyAPartialFile() async throws {
    let (root, a, _) = try CLITrialTokenizerTests.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("t.json").path
    let partial = out + ".partial"
    // Killed (as by `kill -9`) as soon as the first checkpoint is on disk.
    await #expect(processExitsWith: .exitCode(9)) { [a = a as String, out = out as String] in
      let partial = out + ".partial"
      Thread.detachNewThread {
        while !FileManager.default.fileExists(atPath: partial) { usleep(200) }
        _exit(9)
      }
      var command = try! ECGCommand.parseKeepingArguments([
        "tokenizer", "train", "--data", a, "--merges", "1000", "--out", out, "--checkpoint-every", "1", "--quiet",
      ])
      try! command.run()
      exit(0)
    }
    #expect(!FileManager.default.fileExists(atPath: out))
    let status = TokenizerTrainingStatus(json: try Data(contentsOf: URL(fileURLWithPath: partial)))
    #expect(status?.complete == false && status?.data == a)

    // Every reader refuses it and says how to finish it; inspect shows it.
    let finish = "--merges 1000 --out \(out) --resume`"
    let ids = root.appendingPathComponent("ids.txt").path
    try Data("97 98\n".utf8).write(to: URL(fileURLWithPath: ids))
    for arguments in [
      ["encode", "--tokenizer", partial, "--from-store", a, "--index", "0"],
      ["decode", "--tokenizer", partial, "--input", ids],
      ["convert", partial, root.appendingPathComponent("c.json").path],
    ] {
      let message = await CLITrial.error(["tokenizer"] + arguments)
      #expect(message?.contains("is an unfinished tokenizer") == true && message?.contains(finish) == true)
    }
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("c.json").path))
    let (report, note) = try TokenizerInspectCommand.parse([partial]).inspect()
    #expect(report.contains("\"complete\": false") && report.contains("\"merges_requested\": 1000"))
    #expect(note?.contains(finish) == true)
    let pretrain = await CLITrial.error([
      "pretrain", "--data", a, "--neural_network", "trans_discrete_decoder", "--bpe_tokenizer_path", partial,
    ])
    #expect(pretrain?.contains("--bpe_tokenizer_path '\(partial)' is an unfinished tokenizer") == true)

    // A new run neither takes it for its own nor loses it silently; --resume finishes it under the final name.
    #expect(await Self.train(a, 1000, out)?.contains("\(partial) holds an unfinished run for --out") == true)
    #expect(await Self.train(a, 1000, out, ["--resume"]) == nil)
    #expect(!FileManager.default.fileExists(atPath: partial) && !FileManager.default.fileExists(atPath: out + ".lock"))
    let (finished, _) = try TokenizerInspectCommand.parse([out]).inspect()
    #expect(finished.contains("\"complete\": true"))
    let straight = root.appendingPathComponent("straight.json").path
    #expect(await Self.train(a, 1000, straight) == nil)
    #expect(try ECGByteTokenizer(contentsOf: out).merges == ECGByteTokenizer(contentsOf: straight).merges)
  }

  @Test("D3: an unfinished --out written by an older ecg is refused, and --resume finishes it")
  func olderUnfinishedOutIsResumed() async throws {
    let (root, a, _) = try CLITrialTokenizerTests.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("old.json").path
    #expect(await Self.train(a, 6, out) == nil)
    let text = try String(contentsOfFile: out, encoding: .utf8)
    try Data(text.replacingOccurrences(of: "\"complete\": true", with: "\"complete\": false").utf8)
      .write(to: URL(fileURLWithPath: out))
    #expect(await CLITrial.error(["tokenizer", "inspect", out]) == nil)
    let encode = await CLITrial.error(["tokenizer", "encode", "--tokenizer", out, "--from-store", a, "--index", "0"])
    #expect(encode?.contains("'\(out)' is an unfinished tokenizer (6 of 6 merges trained)") == true)
    #expect(await Self.train(a, 10, out)?.contains("holds an unfinished tokenizer; continue it with --resume") == true)
    #expect(await Self.train(a, 10, out, ["--resume"]) == nil)
    let straight = root.appendingPathComponent("straight.json").path
    #expect(await Self.train(a, 10, straight) == nil)
    #expect(try ECGByteTokenizer(contentsOf: out).merges == ECGByteTokenizer(contentsOf: straight).merges)
  }

  @Test("D1: --overwrite never replaces a file inside a dataset store, nor the command's own input")
  func outputInsideAStoreOrOnTheInputIsRefused() async throws {
    let (root, a, _) = try CLITrialTokenizerTests.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let manifest = a + "/store.json"
    let before = try Data(contentsOf: URL(fileURLWithPath: manifest))
    let intoData = await Self.train(a, 4, manifest, ["--overwrite"])
    #expect(intoData == "--out \(manifest) is inside the training data \(a); choose a file outside it")
    #expect(try Data(contentsOf: URL(fileURLWithPath: manifest)) == before)

    let tokenizer = root.appendingPathComponent("t.json").path
    #expect(await Self.train(a, 4, tokenizer) == nil)
    let b = root.appendingPathComponent("b").path
    for target in [b + "/store.json", b + "/index.jsonl", b + "/new.json"] {
      let message = await CLITrial.error(["tokenizer", "convert", tokenizer, target, "--overwrite"])
      #expect(message?.contains("is inside the dataset store \(b), whose files ecg never replaces") == true)
      #expect(await Self.train(a, 4, target, ["--overwrite"])?.contains("is inside the dataset store \(b)") == true)
    }
    // A store still being written counts as a store.
    let late = root.appendingPathComponent("late.partial")
    try FileManager.default.createDirectory(at: late, withIntermediateDirectories: true)
    try Data("{}".utf8).write(to: late.appendingPathComponent("settings.json"))
    let intoLate = await CLITrial.error(["tokenizer", "convert", tokenizer, late.path + "/t.json"])
    #expect(intoLate?.contains("is inside the dataset store \(late.path)") == true)

    let original = try Data(contentsOf: URL(fileURLWithPath: tokenizer))
    let link = root.appendingPathComponent("link.json").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: tokenizer)
    for output in [tokenizer, link] {
      let message = await CLITrial.error(["tokenizer", "convert", tokenizer, output, "--overwrite"])
      #expect(message == "the output \(output) is the input; choose another file name")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: tokenizer)) == original)
  }

  @Test("D2: a second train to the same --out is refused while the first one writes it")
  func secondRunToTheSameOutIsRefused() async throws {
    let (root, a, _) = try CLITrialTokenizerTests.stores()
    defer { try? FileManager.default.removeItem(at: root) }
    let out = root.appendingPathComponent("t.json").path
    var first: StoreLock? = try StoreLock(file: out + ".lock", writing: out)
    #expect(
      await Self.train(a, 4, out)
        == "another ecg run (process \(getpid())) is writing \(out); wait for it to finish, or stop it first")
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(first != nil)
    first = nil
    #expect(await Self.train(a, 4, out) == nil)
    #expect(!FileManager.default.fileExists(atPath: out + ".lock"))
  }

  @Test("D9: a store still being written is named as such, with the command that finishes it")
  func unfinishedStoreIsNamed() async throws {
    let root = try CLITrial.folder()
    defer { try? FileManager.default.removeItem(at: root) }
    let store = root.appendingPathComponent("Q").path
    try FileManager.default.createDirectory(atPath: store + ".partial", withIntermediateDirectories: true)
    try Data("ecg preprocess --source wfdb --input /data/many --out Q\n".utf8)
      .write(to: URL(fileURLWithPath: store + ".partial/" + StoreWriter.commandFileName))
    let expected =
      "'\(store)' is a store still being written (\(store).partial holds its finished part); "
      + "run `ecg preprocess --source wfdb --input /data/many --out Q` again to finish it"
    #expect(await Self.train(store, 5, root.appendingPathComponent("t.json").path) == expected)
    let tokenizer = root.appendingPathComponent("t.json").path
    try ECGByteTokenizer(merges: []).writeJSON(to: tokenizer)
    #expect(
      await CLITrial.error(["tokenizer", "encode", "--tokenizer", tokenizer, "--from-store", store, "--index", "0"])
        == expected)
  }
}
