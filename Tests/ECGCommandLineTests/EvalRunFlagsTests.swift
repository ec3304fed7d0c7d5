import ArgumentParser
import Foundation
import Testing

@testable import ECGCommandLine

/// Which settings `ecg eval` takes from a run folder and which from the flags: network and data flags that contradict
/// the run's config.yaml are refused (they were dropped without a word), the inference-time ones are applied, and a
/// checkpoint file is read with the flags' network and written where `--out` says unless it sits in a run.
@Suite(.serialized) struct EvalRunFlagsTests {
  /// `ecg eval ARGUMENTS` parsed as `ecg` parses it, keeping the command line.
  static func command(_ arguments: [String]) throws -> EvalCommand {
    try #require(ECGCommand.parseKeepingArguments(["eval"] + arguments) as? EvalCommand)
  }

  @Test func networkAndDataFlagsThatContradictTheRunAreRefusedNamingItsValue() async throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-run-flags")
    defer { run.remove() }
    let base = ["eval", "--task", "reconstruction", "--nn_ckpt", run.run.path, "--device", "cpu", "--figures", "0"]
    for (flags, said) in [
      (["--segment_len", "200"], "--segment_len 200 (the run has 250)"),
      (["--ecg_norm", "instance_zscore"], "--ecg_norm instance_zscore (the run has instance_minmax)"),
      (["--preset", "base"], "--preset base (the run has tiny)"),
      (["--num_layers", "5"], "--num_layers 5 (the run has "),
      // At its default value a flag is still told from an absent one by the command line.
      (["--segment_len", "2500"], "--segment_len 2500 (the run has 250)"),
    ] {
      let message = await CLITrial.error(base + flags) ?? "accepted"
      #expect(message.hasPrefix("\(run.run.path) sets the network and its data in its config.yaml"), "\(message)")
      #expect(message.contains(said), "\(message)")
      #expect(message.contains("--signal_head_num_steps, --sf)"), "\(message)")
    }
    // The run's own values, and the flags that say where its files are, are accepted.
    let same = ["--segment_len", "250", "--preset", "tiny", "--data", run.store, "--seeds", "0", "--max_samples", "1"]
    #expect(await CLITrial.error(base + same) == nil)
  }

  @Test func inferenceTimeFlagsAreAppliedAndSamplingRatesMustAgree() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-run-sf")
    defer { run.remove() }
    let base = ["--task", "reconstruction", "--nn_ckpt", run.run.path, "--device", "cpu", "--figures", "0"]
    // The signal head's Euler steps at inference (evaluation.md §5): the run's unless given.
    #expect(try Self.command(base).resolvedContext().settings.signalHeadNumSteps == 50)
    #expect(
      try Self.command(base + ["--signal_head_num_steps", "3"]).resolvedContext().settings.signalHeadNumSteps == 3)
    // --sf sets the SSIM window and the figures' time axis, and must be the store's rate (250 Hz here).
    let contradicting = EvalRun.message(base + ["--sf", "500"])
    #expect(contradicting.contains("holds windows sampled at 250 Hz, but --sf is 500"), "\(contradicting)")
    let yaml = run.run.appendingPathComponent("checkpoints/best/config.yaml")
    let text = try String(contentsOf: yaml, encoding: .utf8)
    #expect(text.contains("\nsf: 250\n"))
    try text.replacingOccurrences(of: "\nsf: 250\n", with: "\nsf: 500\n").write(
      to: yaml, atomically: true, encoding: .utf8)
    #expect(try Self.command(base).resolvedContext().settings.sf == 500)
    #expect(try Self.command(base + ["--sf", "250"]).resolvedContext().settings.sf == 250)
    // Without the command line (`validate()`, or parsed in code) a flag counts when it differs from its default:
    // --sf 250 is then the default and the run's rate stays, until `ecg`'s kept command line says it was given.
    #expect(try EvalCommand.parse(base + ["--sf", "250"]).resolvedContext().settings.sf == 500)
    #expect(
      try EvalCommand.parse(base + ["--signal_head_num_steps", "3"]).resolvedContext().settings.signalHeadNumSteps
        == 3)
  }

  @Test func aFileInAFolderNamedCheckpointsIsInARunOnlyBesideItsConfiguration() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-run-file")
    defer { run.remove() }
    let copy = run.folder.appendingPathComponent("copied/checkpoints")
    try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
    let weights = copy.appendingPathComponent("model.safetensors")
    try FileManager.default.copyItem(
      at: run.run.appendingPathComponent("checkpoints/best/model.safetensors"), to: weights)
    #expect(try EvalCommand.locate(weights.path).runFolder == nil)
    let flags = ["--preset", "tiny", "--segment_len", "250", "--data", run.store] + EvalRun.dit
    let message = EvalRun.message(["--task", "generation", "--nn_ckpt", weights.path, "--device", "cpu"] + flags)
    #expect(message.hasSuffix("is not inside a run folder, so there is nowhere to write the results: pass --out DIR"))
    // With the run's config.yaml above checkpoints/, that folder is the run's and takes the results.
    try FileManager.default.copyItem(
      at: run.run.appendingPathComponent("checkpoints/best/config.yaml"),
      to: copy.deletingLastPathComponent().appendingPathComponent("config.yaml"))
    #expect(try EvalCommand.locate(weights.path).runFolder?.path == copy.deletingLastPathComponent().path)
  }

  @Test func aCheckpointFilesNetworkIsSaidToComeFromTheFlags() throws {
    let run = try EvalRun(network: EvalRun.dit, name: "eval-run-bare")
    defer { run.remove() }
    let best = run.run.appendingPathComponent("checkpoints/best")
    let message = EvalRun.message([
      "--task", "generation", "--nn_ckpt", best.appendingPathComponent("model.safetensors").path, "--device", "cpu",
    ])
    #expect(
      message
        == "a single checkpoint file's network comes from the flags: pass --neural_network (and --objective, "
        + "--preset or the sizes it was trained with), or pass its folder \(best.path) to use the config.yaml there")
  }
}
