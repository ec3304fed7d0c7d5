import ArgumentParser
import ECGEvaluation
import Foundation

extension ClassificationLabelSet: ExpressibleByArgument {}
extension ClassificationProtocol: ExpressibleByArgument {}

/// `ecg eval --task classification`'s flags (classification.md): the label set, the protocol, the label
/// fractions and where the label files live.
struct ClassificationOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The downstream task's labels (required with --task classification).", valueName: "set"))
  var labels: ClassificationLabelSet?

  @Option(
    name: [.customLong("protocol")],
    help: "linear (frozen features + logistic head), finetune (every weight) or zeroshot (MERL's class prompts).")
  var protocolKind: ClassificationProtocol = .linear

  @Option(
    name: [.customLong("label_fraction"), .customLong("label-fraction")],
    parsing: .upToNextOption,
    help: "Training fractions in (0, 1], e.g. 0.01,0.1,1 or 0.01 0.1 1 (MERL's subsets, seed 42).")
  var labelFraction = ["0.01,0.1,1"]

  @Option(
    name: [.customLong("labels_dir"), .customLong("labels-dir")],
    help: "Folder with ptbxl_scp_statements.csv and merl_splits/ (default: $ECG_LABELS_DIR).")
  var labelsDir: String?

  @Option(
    name: [.customLong("cpsc_window"), .customLong("cpsc-window")],
    help: "CPSC2018 input: merl (first 5 s zero-padded to 10 s, as MERL) or first10s (the store's window).")
  var cpscWindow = "merl"

  @Option(
    name: [.customLong("subset_seed"), .customLong("subset-seed")], parsing: .unconditional,
    help: "Seed of the label-fraction subset (MERL: 42).")
  var subsetSeed: UInt32 = 42

  @Option(
    name: [.customLong("probe_epochs"), .customLong("probe-epochs")], parsing: .unconditional,
    help: "Epochs of the linear probe (MERL: 100) or of fine-tuning (10).")
  var probeEpochs: Int?

  /// The fractions, parsed.
  var fractions: [Double] {
    ListOption.items(labelFraction).compactMap { Double($0) }
  }

  /// The label files' folder: the flag, else `$ECG_LABELS_DIR`.
  var labelsDirectory: URL? {
    (labelsDir ?? ProcessInfo.processInfo.environment["ECG_LABELS_DIR"]).map { URL(fileURLWithPath: $0) }
  }

  func validate() throws {
    let parts = ListOption.items(labelFraction)
    guard !parts.isEmpty, parts.count == fractions.count, fractions.allSatisfy({ $0 > 0 && $0 <= 1 }) else {
      throw ValidationError("--label_fraction takes fractions in (0, 1] separated by commas, e.g. 0.01,0.1,1")
    }
    guard ["merl", "first10s"].contains(cpscWindow) else {
      throw ValidationError("--cpsc_window is merl or first10s, not \(cpscWindow)")
    }
    if let probeEpochs, probeEpochs < 1 { throw ValidationError("--probe_epochs must be 1 or more") }
    if protocolKind == .zeroshot, labels == .synthetic {
      throw ValidationError("zero-shot needs MERL's class prompts, which exist for the six MERL tasks, not synthetic")
    }
  }
}
