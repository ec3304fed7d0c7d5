import ArgumentParser
import Foundation

/// What `ecg eval` does with the network and data flags when `--nn_ckpt` is a run folder: the network and the
/// data it reads come from the run's config.yaml, so a flag that would change them is refused (as `ecg pretrain
/// --resume` refuses them), and the inference-time ones are applied.
extension EvalCommand {
  /// Network and data flags an evaluation of a run folder takes: where the run's files are now, the task's own
  /// settings and the inference-time settings (snake_case names).
  static let flagsTakenWithARun: [String] = [
    "nn_ckpt", "task", "data", "data_dir", "bpe_tokenizer_path", "text_feature_extractor", "num_workers",
    "forecast_ratio", "cfg_scale", "signal_head_num_steps", "sf",
  ]

  /// The network and data flags given, by snake_case name with their value as text, told as `ecg pretrain` tells
  /// them (`PretrainCommand.givenFlags`): named on the kept command line, else changed from their default.
  func givenNetworkAndDataFlags() throws -> [(name: String, value: String)] {
    let flags =
      try PretrainCommand.flags(of: dataOptions, PretrainDataOptions.parse([]))
      + PretrainCommand.flags(of: modelOptions, PretrainModelOptions.parse([]))
    return PretrainCommand.givenFlags(flags, commandLine: commandLine)
  }

  /// Refuses the flags that contradict the run's config.yaml (`settings`), points the run at the new places of its
  /// files, and applies the inference-time flags: `--signal_head_num_steps` (the head's Euler steps, evaluation.md
  /// §5) and `--sf` (the SSIM window and the figures' time axis), which must match every store's sampling rate.
  func applyRunFlags(to settings: inout PretrainSettings, run: String) throws {
    let given = try givenNetworkAndDataFlags()
    let conflicts = PretrainCommand.conflicts(given, with: settings, except: Self.flagsTakenWithARun)
    guard conflicts.isEmpty else {
      throw ValidationError(
        "\(run) sets the network and its data in its config.yaml, which these flags contradict: "
          + conflicts.joined(separator: ", ") + "; drop them (with a run folder eval takes "
          + Self.flagsTakenWithARun.filter { !["nn_ckpt", "task"].contains($0) }.map { "--\($0)" }
          .joined(separator: ", ") + "), or evaluate a checkpoint file with the network flags you want and --out")
    }
    let names = Set(given.map(\.name))
    if names.contains("signal_head_num_steps") { settings.signalHeadNumSteps = modelOptions.signalHeadNumSteps }
    if names.contains("sf") { settings.sf = dataOptions.sf }
    try settings.relocate(
      data: dataOptions.data, dataDir: dataOptions.dataDir, bpeTokenizerPath: dataOptions.givenBPETokenizerPath,
      textFeatureExtractor: dataOptions.textFeatureExtractor)
    // relocate checked the rate of every new --data entry already; the run's own stores are checked here.
    if names.contains("sf") && dataOptions.data.isEmpty { try Self.checkSamplingRate(of: settings) }
  }

  /// Throws when a store of `settings.data` was sampled at another rate than `settings.sf` (checked as `ecg
  /// pretrain` checks `--data`); entries that are not stores are checked where their windows are read.
  static func checkSamplingRate(of settings: PretrainSettings) throws {
    for entry in settings.data where FileManager.default.fileExists(atPath: entry + "/store.json") {
      try PretrainCommand.checkDataset(
        entry, dataDir: settings.dataDir, segmentLength: settings.segmentLen, samplingRate: settings.sf)
    }
  }
}
