import ArgumentParser
import ECGCore
import ECGData
import ECGModels
import ECGText
import ECGTraining
import Foundation
import TensorFormats
import TestSupport
import Testing
import Torch

@testable import ECGCommandLine

/// A linear denoiser over [B, 12, L] signals: enough to run the whole command.
final class LinearDenoiser: Module, Pretrainable {
  @Child("proj") var proj: Linear

  init(length: Int) {
    super.init()
    proj = Linear(length, length)
  }

  var module: Module { self }

  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("signal batches only") }
    return Functional.mseLoss(proj(batch.signal + draws.randn(like: batch.signal) * 0.1), batch.signal)
  }
}

@Suite(.serialized) struct PretrainCommandTests {
  static func store(in folder: URL) throws -> String {
    let path = folder.appendingPathComponent("store").path
    try DataSynthCommand.parse(["--count", "12", "--out", path, "--quiet", "--threads", "1"]).run()
    return path
  }

  static func message(_ arguments: [String]) -> String {
    do {
      _ = try PretrainCommand.parse(arguments)
      return "accepted"
    } catch {
      return PretrainCommand.message(for: error)
    }
  }

  @Test func impossibleCombinationsAreRejectedWithWhatToDo() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-flags-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Self.store(in: folder)
    let dit = ["--data", store, "--neural_network", "trans_continuous_dit", "--objective", "rectified_flow"]
    #expect(Self.message(dit) == "accepted")
    #expect(
      Self.message(["--data", store, "--neural-network", "trans_continuous_dit", "--objective", "ddpm"]) == "accepted")
    #expect(
      Self.message(dit + ["--data_representation", "bpe_symbolic"]).hasPrefix(
        "--data_representation bpe_symbolic gives ECG-Byte tokens, which only trans_discrete_decoder reads"))
    #expect(
      Self.message(["--data", store, "--neural_network", "trans_continuous_nepa", "--objective", "ddpm"]).hasPrefix(
        "--objective ddpm trains a diffusion/flow network: use --neural_network trans_continuous_dit"))
    #expect(Self.message(dit + ["--condition", "text"]).hasPrefix("--condition text needs a text model"))
    // Each bound named with its flag, also for negative numbers written without `=`.
    #expect(Self.message(dit + ["--bpe_symbolic_len", "1"]) == "--bpe_symbolic_len must be at least 2, got 1")
    #expect(Self.message(dit + ["--lr", "-1"]) == "--lr must be a positive number, got -1.0")
    #expect(Self.message(dit + ["--beta2", "1"]) == "--beta2 must lie in [0, 1), got 1.0")
    #expect(Self.message(dit + ["--seed=-1"]).contains("--seed takes whole numbers 0 or more, got -1"))
    // Were "Missing value" without `=` (every numeric flag now takes a leading minus).
    #expect(Self.message(dit + ["--weight_decay", "-1"]).hasPrefix("--weight_decay: give a non-negative weight decay"))
    #expect(Self.message(dit + ["--epochs", "-1"]).hasPrefix("--epochs must be at least 1, got -1"))
    // Were accepted (negative ε, a maximised flow loss) or failed after the run folder existed.
    #expect(Self.message(dit + ["--norm_eps", "-1"]).hasPrefix("--norm_eps must be a positive number"))
    #expect(Self.message(dit + ["--norm_eps", "nan"]).hasPrefix("--norm_eps must be a positive number"))
    #expect(Self.message(dit + ["--flow_loss_weight", "-5"]).hasPrefix("--flow_loss_weight must be 0 or more"))
    #expect(
      Self.message(dit + ["--signal_head_num_steps", "0"]) == "--signal_head_num_steps must be at least 1, got 0")
    #expect(Self.message(dit + ["--condition_dropout", "1.5"]).hasPrefix("--condition_dropout must be a probability"))
    // Were a libtorch trap in the first optimizer step (a step size beyond float32).
    #expect(Self.message(dit + ["--lr", "1e39"]).contains("does not fit float32"))
    #expect(
      Self.message(dit + ["--optimizer", "muon", "--muon_adamw_lr_ratio", "inf"]).hasPrefix(
        "--muon_adamw_lr_ratio: give a positive ratio"))
    #expect(Self.message(dit + ["--lr", "1e-3"]) == "accepted")
    // Windows of another rate are another duration for the same sample count.
    #expect(
      Self.message(dit + ["--sf", "500"]).hasPrefix(
        "--data \(store) holds windows sampled at 250 Hz, but --sf is 500"))
    // A store still being written is named as such, not as a dataset to synthesise.
    let unfinished = folder.appendingPathComponent("late").path
    try FileManager.default.createDirectory(atPath: unfinished + ".partial", withIntermediateDirectories: true)
    try Data("ecg preprocess --out late\n".utf8).write(to: URL(fileURLWithPath: unfinished + ".partial/command.txt"))
    #expect(
      Self.message(["--data", unfinished, "--neural_network", "mae_vit"]).hasSuffix(
        "run `ecg preprocess --out late` again to finish it"))
    #expect(Self.message(dit + ["--nn_ckpt", folder.path + "/runs/checkpoints/best"]).hasSuffix("does not exist"))
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("run/checkpoints/last"), withIntermediateDirectories: true)
    #expect(
      Self.message(dit + ["--nn_ckpt", folder.path + "/run/checkpoints/best"]).contains(
        "/run/checkpoints holds last (or pass the run folder"))
    #expect(
      Self.message(["--data", store, "--neural_network", "merl"]).hasPrefix(
        "merl needs a text model: pass --text_feature_extractor DIR"))
    #expect(
      Self.message(["--data", "mimic", "--neural_network", "mae_vit"]).hasPrefix(
        "--data mimic is neither a dataset store nor a known dataset"))
    #expect(
      Self.message(["--data", "ptb_xl", "--neural_network", "mae_vit"]).hasPrefix(
        "--data ptb_xl names a reference dataset: pass --data_dir"))
    #expect(
      Self.message(["--data", "ptb_xl", "--data_dir", folder.path, "--neural_network", "mae_vit"]).hasSuffix(
        "import it into a store with `ecg data import`"))
    #expect(Self.message(["--data", folder.path, "--neural_network", "mae_vit"]).contains("not a dataset store"))
    #expect(Self.message(dit + ["--data_sampling_probs", "0.5", "0.5"]).hasPrefix("--data_sampling_probs needs one"))
    #expect(Self.message(dit + ["--condition", "lead", "--condition_lead", "3"]).hasPrefix("--condition_lead must be"))
    #expect(Self.message(dit + ["--preset", "huge"]).contains("unknown --preset 'huge'; use tiny, small or base"))
    #expect(Self.message(dit + ["--d_model", "66", "--n_heads", "4"]).contains("must be divisible by --n_heads 4"))
    for network in ["mtae", "st_mem", "mlae"] {  // was a precondition crash in the sin-cos position table
      #expect(
        Self.message(["--data", store, "--neural_network", network, "--d_model", "3", "--n_heads", "1"]).hasPrefix(
          "\(network) needs an even --d_model"))
    }
    #expect(Self.message(dit + ["--d_model", "3", "--n_heads", "1"]) == "accepted")
    // Were preconditions in the tokenizer ([CLS] and [SEP] must fit) and in BERT (its position table).
    let text = ["--text_feature_extractor", TextModelFolder.defaultURL.path]
    let merl = ["--data", store, "--neural_network", "merl"] + text
    #expect(Self.message(merl + ["--condition_text_max_len", "16"]) == "accepted")
    #expect(
      Self.message(merl + ["--condition_text_max_len", "1"]).contains("leaves no room for the text model's [CLS]"))
    #expect(
      Self.message(dit + ["--condition", "text"] + text + ["--condition_text_max_len", "1000"]).hasPrefix(
        "--condition_text_max_len 1000 exceeds the 512 positions of the text model"))
    // Were libtorch failures in the masked-patch gather (13) and the mask's expand (0).
    let mae = ["--data", store, "--neural_network", "mae_vit"]
    for patches in ["0", "13"] {
      #expect(
        Self.message(mae + ["--num_patches", patches]).hasPrefix(
          "mae_vit masks whole leads: --num_patches must be the 12 leads of a window"))
    }
    #expect(Self.message(dit + ["--grad_accum_steps", "0"]).contains("--grad_accum_steps must be at least 1"))
    #expect(Self.message(dit + ["--threads", "100000"]).contains("--threads 100000 is more than 1024"))
    #expect(Self.message(dit + ["--optimizer", "sgd"]).contains("unknown --optimizer 'sgd'"))
    // Was a range trap in Muon's Newton–Schulz loop; the optimizer's other checks now run up front too.
    #expect(
      Self.message(dit + ["--optimizer", "muon", "--muon_ns_steps=-1"])
        == "--muon_ns_steps: give at least one Newton–Schulz step")
    #expect(Self.message(dit + ["--weight_decay=-1"]) == "--weight_decay: give a non-negative weight decay")
    #expect(Self.message(dit + ["--device", "tpu"]).contains("unknown --device 'tpu'"))
    #expect(Self.message(dit + ["--wandb"]).contains("tensorboard --logdir"))
    #expect(Self.message(["--data", store, "--neural_network", "trans_continuous_dit"]).contains("needs --objective"))
  }

  @Test func syncBatchNormNeedsDistributed() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-syncbn-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let dit = ["--data", try Self.store(in: folder), "--neural_network", "mae_vit"]
    for spelling in ["--sync_bn", "--sync-bn"] {
      #expect(Self.message(dit + [spelling]).hasPrefix("--sync_bn synchronises BatchNorm over the ranks"))
      #expect(Self.message(dit + [spelling, "--distributed"]) == "accepted")
    }
    #expect(try PretrainCommand.parse(dit + ["--distributed", "--sync_bn"]).resolvedSettings().syncBn == true)
    #expect(try PretrainCommand.parse(dit + ["--distributed"]).resolvedSettings().syncBn == false)
  }

  @Test func snakeAndKebabSpellingsAndReferenceDefaults() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-names-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Self.store(in: folder)
    let snake = try PretrainCommand.parse([
      "--data", store, "--neural_network", "mae_vit", "--batch_size", "4", "--grad_accum_steps", "2",
      "--lr_schedule", "cosine", "--segment_len", "2500",
    ]).resolvedSettings()
    let kebab = try PretrainCommand.parse([
      "--data", store, "--neural-network", "mae_vit", "--batch-size", "4", "--grad-accum-steps", "2",
      "--lr-schedule", "cosine",
    ]).resolvedSettings()
    #expect(snake == kebab)
    #expect(snake.lr == 3e-4 && snake.warmup == 2000 && snake.weightDecay == 1e-2 && snake.beta2 == 0.95)
    #expect(snake.epochs == 1 && snake.patience == 5 && snake.patienceDelta == 0.1 && snake.emaDecay == 0.999)
    #expect(snake.objective == "mae" && snake.dataRepresentation == "signal" && snake.task == "pretrain")
    let tiny = try PretrainCommand.parse([
      "--data", store, "--neural_network", "mae_vit", "--preset", "tiny", "--n_heads", "8",
    ])
    .resolvedSettings()
    #expect(tiny.dModel == 64 && tiny.numLayers == 2 && tiny.nHeads == 8)
  }

  @Test func tf32IsOnByDefaultAndFusedPicksTheFusedAdam() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-tf32-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Self.store(in: folder)
    let common = ["--data", store, "--neural_network", "mae_vit"]
    let plain = try PretrainCommand.parse(common).resolvedSettings()
    #expect(plain.tf32 == true && plain.fused == false)
    #expect(plain.optimizerConfiguration(batchesPerEpoch: 1).adamImplementation == nil)
    for off in ["--no-tf32", "--no_tf32"] {
      #expect(try PretrainCommand.parse(common + [off]).resolvedSettings().tf32 == false, "\(off)")
    }
    let fused = try PretrainCommand.parse(common + ["--fused", "--tf32"]).resolvedSettings()
    #expect(fused.tf32 == true && fused.fused == true)
    #expect(fused.optimizerConfiguration(batchesPerEpoch: 1).adamImplementation == .fused)
  }

  @Test func aRunWritesItsFolder() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-run-\(UUID().uuidString)")
    defer {
      try? FileManager.default.removeItem(at: folder)
      PretrainNetworks.factory = nil
    }
    let store = try Self.store(in: folder)
    PretrainNetworks.factory = { LinearDenoiser(length: $0.segmentLen) }
    let runs = folder.appendingPathComponent("runs").path
    try PretrainCommand.parse([
      "--data", store, "--neural_network", "trans_continuous_nepa", "--batch_size", "4", "--epochs", "2",
      "--warmup", "0", "--ema", "--save_step", "--log_every", "1", "--device", "cpu", "--runs_dir", runs, "--plain",
    ]).run()
    let run = URL(fileURLWithPath: runs).appendingPathComponent("pretrain/trans_continuous_nepa/0")
    let names = Set(try FileManager.default.contentsOfDirectory(atPath: run.path))
    #expect(names.isSuperset(of: ["config.yaml", "checkpoints", "metrics.jsonl", "DONE"]))
    #expect(names.contains { $0.hasPrefix("events.out.tfevents.") })
    let checkpoints = Set(
      try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path))
    #expect(checkpoints.isSuperset(of: ["epoch_0", "epoch_1", "best", "step_0_1"]))
    let yaml = try String(contentsOf: run.appendingPathComponent("config.yaml"), encoding: .utf8)
    #expect(yaml.contains("neural_network: trans_continuous_nepa\n") && yaml.contains("batch_size: 4\n"))
    #expect(yaml.contains("libtorch_version: ") && yaml.contains("mode: pretrain\n"))
    #expect(yaml.contains("tf32: true\n") && yaml.contains("fused: false\n"))
    let lines = try String(contentsOf: run.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(
      separator: "\n")
    #expect(lines.count == 6)  // 12 windows / 4 = 3 steps per epoch, 2 epochs

    // Export for PyTorch, read back by the safe reader.
    let exported = folder.appendingPathComponent("epoch_best.pt")
    try CheckpointExportCommand.parse([run.path, "--format", "pytorch", exported.path]).run()
    let checkpoint = try TorchCheckpoint(contentsOf: exported)
    #expect(
      checkpoint.root.dictionaryEntries?.compactMap { if case .string(let key) = $0.key { key } else { nil } } == [
        "epoch", "step", "model_state_dict", "optimizer_state_dict", "ema_state_dict",
      ])
    #expect(checkpoint["model_state_dict"]?.stateDictionary?.map(\.name) == ["proj.weight", "proj.bias"])
    #expect(checkpoint["epoch"]?.intValue == 1 && checkpoint["step"]?.intValue == -1)
    // An existing file is kept without --overwrite, and nothing lands in the run (a mistyped path replaced the
    // checkpoint's own model.safetensors).
    func exportError(_ arguments: [String]) -> String {
      do {
        try CheckpointExportCommand.parse([run.path] + arguments).run()
        return "exported"
      } catch {
        return CheckpointExportCommand.message(for: error)
      }
    }
    #expect(exportError([exported.path]).hasSuffix("already exists; pass --overwrite to replace it"))
    #expect(exportError([exported.path, "--overwrite"]) == "exported")
    let own = run.appendingPathComponent("checkpoints/best/model.safetensors").path
    #expect(exportError([own, "--overwrite"]).contains("is inside the run folder"))
    #expect(Set(try StateDict(safetensorsAt: URL(fileURLWithPath: own)).names) == ["proj.weight", "proj.bias"])
  }

  /// Stopped at step 1 by --max_steps, resumed to the end (with two loader workers): the same weights as a run
  /// never stopped (libtorch's generator is process-global, so this runs in a child process).
  @Test func resumingThroughTheCommandEndsBitIdentical() async {
    await #expect(processExitsWith: .success) { PretrainCommandTests.checkResumeThroughCommand() }
  }

  static func checkResumeThroughCommand() {
    do {
      let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-resume-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: folder) }
      let store = try Self.store(in: folder)
      PretrainNetworks.factory = { LinearDenoiser(length: $0.segmentLen) }
      let common = [
        "--data", store, "--neural_network", "trans_continuous_nepa", "--batch_size", "4", "--epochs", "2",
        "--warmup", "0", "--ema", "--grad_accum_steps", "2", "--device", "cpu", "--plain", "--num_workers", "2",
      ]
      let whole = folder.appendingPathComponent("whole").path
      try PretrainCommand.parse(common + ["--runs_dir", whole]).run()
      let parts = folder.appendingPathComponent("parts").path
      try PretrainCommand.parse(common + ["--runs_dir", parts, "--max_steps", "1"]).run()
      let run = URL(fileURLWithPath: parts).appendingPathComponent("pretrain/trans_continuous_nepa/0")
      try PretrainCommand.parse(["--resume", run.path, "--max_steps", "4", "--plain"]).run()
      let a = try Data(
        contentsOf: URL(fileURLWithPath: whole).appendingPathComponent(
          "pretrain/trans_continuous_nepa/0/checkpoints/epoch_1/model.safetensors"))
      let b = try Data(contentsOf: run.appendingPathComponent("checkpoints/epoch_1/model.safetensors"))
      precondition(a == b, "the resumed run's weights differ")
      let emaA = try Data(
        contentsOf: URL(fileURLWithPath: whole).appendingPathComponent(
          "pretrain/trans_continuous_nepa/0/checkpoints/epoch_1/ema.safetensors"))
      let emaB = try Data(contentsOf: run.appendingPathComponent("checkpoints/epoch_1/ema.safetensors"))
      precondition(emaA == emaB, "the resumed run's EMA differs")
    } catch {
      preconditionFailure("\(error)")
    }
  }

  /// The first SIGINT or SIGTERM only raises the flag (the trainer then checkpoints and returns); a second one
  /// ends the process with 128 + the signal.
  @Test func sigintRaisesTheFlagAndASecondOneEndsTheProcess() async {
    await #expect(processExitsWith: .exitCode(128 + SIGINT)) { Self.raiseTwice(SIGINT, named: "SIGINT") }
  }

  @Test func sigtermRaisesTheFlagAndASecondOneEndsTheProcess() async {
    await #expect(processExitsWith: .exitCode(128 + SIGTERM)) { Self.raiseTwice(SIGTERM, named: "SIGTERM") }
  }

  static func raiseTwice(_ signalNumber: Int32, named name: String) {
    let flag = InterruptFlag()
    flag.install()
    raise(signalNumber)
    for _ in 0..<200 where !flag.isRaised { usleep(10_000) }
    precondition(flag.isRaised, "\(name) did not reach the flag")
    precondition(flag.signalName == name, "\(flag.signalName ?? "nil")")
    raise(signalNumber)
    for _ in 0..<200 { usleep(10_000) }
    preconditionFailure("the second \(name) did not end the process")
  }

  /// `--nn_ckpt` with a real reference checkpoint: the EMA weights of `trans_continuous_dit.pt` (with `--ema`),
  /// loaded into the DiT the flags describe (the fixture's small configuration).
  @Test func referenceCheckpointLoadsThroughTheNetworkRules() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pretrain-nnckpt-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try Self.store(in: folder)
    let checkpoint = SharedFixtures.referenceDirectory.appendingPathComponent("checkpoints/trans_continuous_dit.pt")
    let settings = try PretrainCommand.parse([
      "--data", store, "--neural_network", "trans_continuous_dit", "--objective", "rectified_flow",
      "--segment_len", "64", "--d_model", "32", "--n_heads", "4", "--dim_ff", "64", "--num_layers", "2",
      "--max_seq_len", "64", "--ema",
      "--nn_ckpt", checkpoint.path,
    ]).resolvedSettings()
    let network = try PretrainNetworks.make(settings)
    let report = try PretrainNetworks.loadInitialWeights(checkpoint.path, into: network, settings: settings)
    #expect(report.source == "ema_state_dict")
    #expect(report.keys.shapeMismatches.isEmpty && report.keys.unexpected.isEmpty, "\(report)")
    let ema = try StateDict(torchCheckpointAt: checkpoint, entry: "ema_state_dict")
    let loaded = network.module.stateDict()
    #expect(ema.count > 0)
    for (name, tensor) in ema {
      let same = loaded[name]?.contiguousBytes() == tensor.contiguousBytes()
      #expect(same, "\(name) differs from the checkpoint's")
    }
  }
}
