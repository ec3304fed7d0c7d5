import ECGData
import ECGEvaluation
import ECGTraining
import Foundation
import Torch

/// Everything a task of `ecg eval` needs: the run's settings, the checkpoint, the evaluation flags, where the
/// results go, and the windows of each seed.
struct EvalContext {
  /// The network and data settings: the run's `config.yaml` when the checkpoint is in a run folder, else the flags.
  var settings: PretrainSettings
  /// The checkpoint to load (`--nn_ckpt`, a run folder resolved to its best checkpoint).
  var checkpoint: String
  /// Whether `settings` came from the network flags (a checkpoint without a `config.yaml`), for messages.
  var networkFromFlags = false
  var options: EvalOptions
  var split: EvaluationSplit
  var device: Device
  /// Where the results JSON and the figures go.
  var outputFolder: URL
  /// Progress lines for the console.
  var log: (String) -> Void = { print($0) }

  var seeds: [UInt64] { options.seeds }

  /// The `<data_names>` part of the output names: the `--data` entries (store folder names) joined with `_`.
  var dataNames: String {
    settings.data.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: "_")
  }

  /// `<task>_None_<data_names>_results.json` (evaluation.md §1.3; `None` as the reference's missing
  /// batch-label names, E1).
  func resultsFile(task: String) -> URL {
    outputFolder.appendingPathComponent("\(task)_None_\(dataNames)_results.json")
  }

  /// Figures of the first seed only (the reference overwrites them with every seed, leaving the last one's).
  func figures(seedIndex: Int, task: EvalTaskKind) -> FigureOptions? {
    let count = options.figures ?? task.defaultFigureCount
    guard seedIndex == 0, count > 0 else { return nil }
    return FigureOptions(
      folder: outputFolder.appendingPathComponent("figures"), count: count, samplingRate: settings.sf)
  }

  /// The windows seed `seed` evaluates: every `--data` source's test split (or the reference's seeded file
  /// split), concatenated in `--data` order, each window as the network reads it (`--segment_len` samples per lead,
  /// cut as pretraining cuts them), windows holding NaN or infinite samples skipped, cut to `--max_samples`.
  /// `notes` says when windows were skipped or a store's test split is not patient-disjoint.
  /// The windows of each seed: the store's test split is the same for every seed, so it is built (stores opened,
  /// every window checked for finite samples) once; the reference's file split is drawn per seed.
  func windowsPerSeed() throws -> (UInt64) throws -> EvaluationWindows {
    guard split == .test, let first = seeds.first else { return { try windows(seed: $0) } }
    let fixed = try windows(seed: first)
    return { _ in fixed }
  }

  func windows(seed: UInt64) throws -> EvaluationWindows {
    var sources: [any ECGWindowSource] = []
    var orders: [[Int]] = []
    var notes: [String] = []
    for entry in settings.data {
      if FileManager.default.fileExists(atPath: entry + "/store.json") {
        let store = try DatasetStore(path: entry)
        // Per-lead metrics, figures and lead masks name a lead by its standard position.
        try store.requireStandardLeadOrder(for: "ecg eval")
        guard settings.segmentLen <= store.segmentLength else {
          throw CommandError(
            "the store \(entry) holds windows of \(store.segmentLength) samples, the network reads "
              + "\(settings.segmentLen); evaluate it on a store of \(settings.segmentLen)-sample windows")
        }
        switch split {
        case .test:
          let source = StoreWindowSource(store, split: .test)
          guard source.count > 0 else {
            throw CommandError(
              "the store \(entry) has no test windows; write it with a test split (`ecg preprocess`, "
                + "`ecg data synth`) or pass --split reference-files")
          }
          if store.manifest.splitPolicy == SplitPolicy.referenceFiles.rawValue {
            notes.append(
              "\(entry) was written with --split reference-files: its test split is the reference's 70/30 file "
                + "split, not patient-disjoint (a patient's windows can be in both training and test); "
                + "`ecg data import --split patient` writes a leakage-free one")
          }
          sources.append(settings.networkWindows(source))
          orders.append(Array(0..<source.count))
        case .referenceFiles:
          let source = StoreWindowSource(store)
          sources.append(settings.networkWindows(source))
          orders.append(EvaluationWindows.referenceTestOrder(count: source.count, seed: seed))
        }
      } else {
        // A run's config.yaml names its stores by path; a store moved or deleted since is no reference name.
        guard referenceDatasetNames.contains(entry) else {
          throw CommandError(
            "--data \(entry) is neither a dataset store nor a reference dataset name "
              + "(\(referenceDatasetNames.joined(separator: ", "))); a run folder names the stores it trained on, so "
              + "if the store moved, pass --data with its new path")
        }
        guard split == .referenceFiles else {
          throw CommandError(
            "--data \(entry) is a reference folder, which has no patient-disjoint test split: import it into a "
              + "store with `ecg data import --split patient` (leakage-free), or pass --split reference-files for "
              + "the reference's split")
        }
        let source = try ReferenceFolderWindowSource(
          dataDirectory: URL(fileURLWithPath: settings.dataDir ?? "."), name: entry, segmentLength: settings.segmentLen)
        sources.append(source)
        orders.append(EvaluationWindows.referenceTestOrder(count: source.count, seed: seed))
      }
    }
    var offset = 0
    var order: [Int] = []
    for (source, local) in zip(sources, orders) {
      order += local.map { $0 + offset }
      offset += source.count
    }
    let all = EvaluationWindows(source: try DatasetMixture(sources), order: order, notes: notes)
    var (kept, skipped) = try all.keepingFinite(options.maxSamples)
    if kept.order.isEmpty, let first = skipped.first {
      throw CommandError(
        "every one of the \(skipped.read) windows of \(dataNames) to evaluate holds NaN or infinite samples (the "
          + "first: \(first)), so nothing is left to score: import a reference folder with `ecg data import --split "
          + "patient`, which drops such windows, and check a store with `ecg data info --verify`")
    }
    // The reference's split differs per seed, and so do the windows it skips.
    if split == .referenceFiles, let note = skipped.note { kept.notes = notes + ["seed \(seed): \(note)"] }
    return kept
  }
}
