import ArgumentParser
import ECGModels
import ECGText
import Foundation
import Testing

@testable import ECGCommandLine

/// What `ecg pretrain --resume` does with the other flags, and the absolute paths it relies on.
@Suite struct PretrainResumeFlagsTests {
  @Test func flagNamesAreTheCommandsOwn() throws {
    let help = PretrainCommand.helpMessage()
    let given = try PretrainCommand.parse([
      "--resume", NSTemporaryDirectory(), "--batch_size", "8", "--dim_ff", "64", "--bfloat_16", "--lr", "0.001",
      "--seed", "3",
    ]).flagsChangedFromTheirDefaults()
    #expect(given.map(\.name) == ["dim_ff", "bfloat_16", "batch_size", "lr", "seed", "resume"])
    // Every flag's name as the messages write it is one the command takes.
    let groups: [any ParsableArguments] = [
      try PretrainDataOptions.parse([]), try PretrainModelOptions.parse([]), try PretrainTrainingOptions.parse([]),
      try PretrainRunOptions.parse([]),
    ]
    for label in groups.flatMap({ Mirror(reflecting: $0).children.compactMap(\.label) }) {
      let name = PretrainCommand.flagName(property: String(label.drop { $0 == "_" }))
      #expect(help.contains("--\(name) ") || help.contains("--\(name)\n"), "no --\(name) in the help")
    }
  }

  @Test func valuesCompareAsTheConfigurationWritesThem() {
    #expect(PretrainCommand.sameValue("4", 4))
    #expect(PretrainCommand.sameValue("0.0003", 3e-4))
    #expect(PretrainCommand.sameValue("true", true))
    #expect(PretrainCommand.sameValue("on", true))
    #expect(PretrainCommand.sameValue("Optional(64)", 64))
    #expect(PretrainCommand.sameValue("nil", nil))
    #expect(PretrainCommand.sameValue("[\"a\", \"b\"]", ["a", "b"]))
    #expect(PretrainCommand.sameValue("Optional(\"mae\")", "mae"))
    #expect(!PretrainCommand.sameValue("8", 4))
    #expect(!PretrainCommand.sameValue("[\"a\"]", ["a", "b"]))
  }

  /// Flags the other settings leave without effect get a note; --condition_dropout reaches DiT (the reference drops
  /// it, models.md M2).
  @Test func flagsWithoutEffectAreNotedAndConditionDropoutReachesDiT() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notes-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try PretrainCommandTests.store(in: folder)
    let settings = try PretrainCommand.parse([
      "--data", store, "--neural_network", "trans_continuous_dit", "--objective", "rectified_flow", "--condition",
      "lead", "--condition_lead", "1", "--condition_dropout", "0.3", "--preset", "tiny", "--segment_len", "500",
    ]).resolvedSettings()
    let notes = PretrainCommand.ineffectiveFlagNotes(
      given: ["ema_decay", "lr", "min_lr_ratio", "condition_lead", "muon_ns_steps"], settings: settings)
    #expect(
      notes == [
        "--ema_decay has no effect without --ema", "--min_lr_ratio has no effect without --lr_schedule cosine",
        "--muon_ns_steps has no effect without --optimizer muon",
      ])
    let dit = try #require((try PretrainNetworks.build(settings)) as? Trainee<DiT>)
    #expect(dit.network.config.conditionDropout == 0.3)
  }

  /// MERL's ECG encoder follows --preset (it was always the reference's ResNet-101).
  @Test func merlIsSizedByThePreset() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("merl-preset-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try PretrainCommandTests.store(in: folder)
    func config(_ preset: String) throws -> MerlConfig? {
      let settings = try PretrainCommand.parse([
        "--data", store, "--neural_network", "merl", "--text_feature_extractor", TextModelFolder.defaultURL.path,
        "--preset", preset, "--segment_len", "500", "--device", "cpu",
      ]).resolvedSettings()
      return ((try PretrainNetworks.build(settings)) as? Trainee<Merl>)?.network.config
    }
    let tiny = try #require(try config("tiny"))
    #expect(tiny.resnetType == "resnet18" && tiny.resnetWidths == [16, 32, 64, 64] && tiny.projOut == 64)
    #expect(try config("small")?.resnetType == "resnet18")
  }

  /// SIGTERM in the middle of a run: the step ends, checkpoints/interrupt is written, and the command ends with
  /// status 143 (not 0, so `pretrain && eval` stops); in a child process, as the signal goes to the process.
  @Test func sigtermWritesTheInterruptCheckpointAndExits143() async {
    await #expect(processExitsWith: .success) { PretrainResumeFlagsTests.checkSIGTERM() }
  }

  static func checkSIGTERM() {
    do {
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sigterm-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: folder) }
      let store = try PretrainCommandTests.store(in: folder)
      PretrainNetworks.factory = { LinearDenoiser(length: $0.segmentLen) }
      let run = folder.appendingPathComponent("runs/pretrain/trans_continuous_nepa/0")
      // The signal is sent once the first epoch's checkpoint shows the handler is installed.
      Thread.detachNewThread {
        while !FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/epoch_0").path) {
          usleep(20_000)
        }
        kill(getpid(), SIGTERM)
      }
      do {
        try PretrainCommand.parse([
          "--data", store, "--neural_network", "trans_continuous_nepa", "--batch_size", "4", "--epochs", "100000",
          "--patience", "100000", "--warmup", "0", "--device", "cpu", "--plain", "--runs_dir",
          folder.appendingPathComponent("runs").path,
        ]).run()
        preconditionFailure("the run ended without the signal")
      } catch let exit as ExitCode {
        precondition(exit.rawValue == 143, "status \(exit.rawValue)")
      }
      precondition(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/interrupt").path))
      precondition(!FileManager.default.fileExists(atPath: run.appendingPathComponent("DONE").path))
    } catch {
      preconditionFailure("\(error)")
    }
  }

  /// One short run, then every resume rule on it; in a child process, as training draws from libtorch's global
  /// generator and the check changes the working folder.
  @Test func resumeTakesMovedFilesAndMoreEpochsAndRefusesOtherChanges() async {
    await #expect(processExitsWith: .success) { PretrainResumeFlagsTests.checkResumeRules() }
  }

  static func checkResumeRules() {
    do {
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("resume-flags-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: folder) }
      _ = try PretrainCommandTests.store(in: folder)
      // Relative paths, as typed in a shell.
      precondition(FileManager.default.changeCurrentDirectoryPath(folder.path))
      PretrainNetworks.factory = { LinearDenoiser(length: $0.segmentLen) }
      let common = [
        "--data", "store", "--neural_network", "trans_continuous_nepa", "--batch_size", "4", "--epochs", "1",
        "--warmup", "0", "--device", "cpu", "--plain",
      ]
      try PretrainCommand.parse(common + ["--runs_dir", "runs"]).run()
      let run = folder.appendingPathComponent("runs/pretrain/trans_continuous_nepa/0")
      let yaml = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
      precondition(yaml.contains("- \(folder.path)/store\n"), "data is not recorded absolute:\n\(yaml)")

      // Nothing left to train: said, with how to go on.
      let complete = failure { try PretrainCommand.parse(["--resume", run.path]).run() }
      precondition(complete.contains("is complete") && complete.contains("--epochs above 1"), complete)
      // A setting the run keeps.
      let changed = failure { try PretrainCommand.parse(["--resume", run.path, "--batch_size", "8"]).run() }
      precondition(changed.contains("--batch_size 8 (the run has 4)"), changed)
      // Given on `ecg`'s command line, a flag at its default value counts too (it was dropped without a word);
      // the run's values read as numbers, not true/false.
      func resume(_ flags: [String]) throws {
        let command = try ECGCommand.parseKeepingArguments(["pretrain", "--resume", run.path] + flags)
        try (command as! PretrainCommand).run()
      }
      // Every spelling of a flag counts (--bfloat16 is ArgumentParser's long name of --bfloat_16).
      precondition(failure { try resume(["--bfloat16"]) }.contains("--bfloat_16 true (the run has false)"))
      let atDefault = failure { try resume(["--batch_size", "1", "--patience", "5", "--warmup", "2000"]) }
      precondition(atDefault.contains("--batch_size 1 (the run has 4)"), atDefault)
      precondition(atDefault.contains("--warmup 2000 (the run has 0)"), atDefault)
      // The flags a resume takes are checked as a new run checks them (they were a precondition crash).
      precondition(failure { try resume(["--threads=0"]) }.contains("--threads must be 1 or more"))
      precondition(failure { try resume(["--num_workers=-1"]) }.contains("--num_workers must be at least 0"))
      precondition(failure { try resume(["--max_steps=-3"]) }.contains("--max_steps must be at least 1"))
      // Other data under --data: refused (it trained on, and resumed into, a different epoch).
      let other = folder.appendingPathComponent("other").path
      try DataSynthCommand.parse(["--count", "9", "--out", other, "--quiet", "--threads", "1"]).run()
      let otherData = failure { try resume(["--data", other, "--epochs", "2"]) }
      precondition(otherData.contains("on other data: --data now gives a store of 9 windows"), otherData)
      // Refused before anything is written: the run's config.yaml still names its own data.
      let kept = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
      precondition(!kept.contains(other), "a refused resume rewrote config.yaml")
      precondition(FileManager.default.fileExists(atPath: run.appendingPathComponent("DONE").path))

      // The store moved: the old path fails, --data with the new one resumes, and the run remembers it.
      try FileManager.default.moveItem(atPath: "store", toPath: "moved")
      let moved = failure { try PretrainCommand.parse(["--resume", run.path, "--epochs", "2"]).run() }
      precondition(moved.contains("store"), moved)
      try PretrainCommand.parse(common.map { $0 == "store" ? "moved" : $0 } + ["--resume", run.path, "--epochs", "2"])
        .run()
      precondition(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/epoch_1").path))
      // From another folder, with only --epochs: the recorded paths are absolute and up to date.
      try FileManager.default.createDirectory(atPath: "elsewhere", withIntermediateDirectories: false)
      precondition(FileManager.default.changeCurrentDirectoryPath("elsewhere"))
      try PretrainCommand.parse(["--resume", run.path, "--epochs", "3", "--plain"]).run()
      precondition(FileManager.default.fileExists(atPath: run.appendingPathComponent("checkpoints/epoch_2").path))
      precondition(FileManager.default.fileExists(atPath: run.appendingPathComponent("DONE").path))
      let fewer = failure { try resume(["--epochs", "1", "--log_every", "10"]) }
      precondition(fewer.contains("is complete (its 1 epoch(s) are done"), fewer)

      // An early-stopped run is complete; more patience lets it go on (it trained another epoch before).
      try PretrainCommand.parse(
        common.map { $0 == "store" ? "../moved" : $0 == "1" ? "6" : $0 } + [
          "--patience", "1", "--patience_delta", "100", "--runs_dir", "runs",
        ]
      ).run()
      let stopped = folder.appendingPathComponent("elsewhere/runs/pretrain/trans_continuous_nepa/0")
      precondition(FileManager.default.fileExists(atPath: stopped.appendingPathComponent("checkpoints/epoch_1").path))
      precondition(!FileManager.default.fileExists(atPath: stopped.appendingPathComponent("checkpoints/epoch_2").path))
      let early = failure { try PretrainCommand.parse(["--resume", stopped.path]).run() }
      precondition(early.contains("early stopping ended it after epoch 1"), early)
      precondition(early.contains("pass a --patience above 1"), early)
      try PretrainCommand.parse(["--resume", stopped.path, "--patience", "2", "--plain"]).run()
      precondition(FileManager.default.fileExists(atPath: stopped.appendingPathComponent("checkpoints/epoch_2").path))
    } catch {
      preconditionFailure("\(error)")
    }
  }

  /// The message of what `body` throws ("" when it throws nothing).
  static func failure(_ body: () throws -> Void) -> String {
    do {
      try body()
      return ""
    } catch {
      return PretrainCommand.message(for: error)
    }
  }
}
