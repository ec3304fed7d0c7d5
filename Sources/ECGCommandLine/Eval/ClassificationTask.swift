import ECGData
import ECGEvaluation
import ECGModels
import ECGTraining
import Foundation
import Torch

/// `ecg eval --task classification`: loads the checkpoint's network from its run configuration, runs the chosen
/// protocol on the store's task (every label fraction and seed, plus the random-initialisation row) and writes
/// `classification_<labels>_<protocol>_<data>_results.json` into `outputFolder`.
enum ClassificationTask {
  /// - Parameters:
  ///   - checkpoint: `--nn_ckpt`: a run folder of `ecg pretrain` (its best checkpoint is used) or a checkpoint folder,
  ///     either with the run's `config.yaml`.
  ///   - stores: `--data`: one dataset store.
  /// - Returns: the results (tables, per-class ROC curves) for the report.
  ///   - settings: the network's settings when the caller resolved them (a checkpoint outside a run folder, with
  ///     the network flags); nil reads the checkpoint's `config.yaml`.
  ///   - networkFromFlags: whether `settings` came from the network flags rather than a `config.yaml` (for messages).
  static func run(
    options: ClassificationOptions, checkpoint: String, ema: Bool, stores: [String], device: Device, seeds: [UInt64],
    outputFolder: URL, settings given: PretrainSettings? = nil, networkFromFlags: Bool = false,
    progress: (ClassificationProgress) -> Void = { _ in }
  ) throws -> ClassificationResults {
    guard let labelSet = options.labels else {
      throw CommandError(
        "--task classification needs --labels (\(ClassificationLabelSet.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    guard stores.count == 1, let storePath = stores.first else {
      throw CommandError(
        "--task classification evaluates one dataset store at a time; pass one --data (got \(stores.count))")
    }
    let store = try DatasetStore(path: storePath)
    // Classification hands the store's windows to the encoder as they are (no lead mapping, unlike pretraining's
    // representation), and every encoder here reads 12 leads.
    guard store.leadCount == 12 else {
      throw CommandError(
        "--task classification feeds every lead of the store to the encoder, which reads the 12 standard leads, but "
          + "\(store.url.path) holds \(store.leadCount) (\(store.manifest.leads.joined(separator: " "))); "
          + "evaluate a 12-lead store (`ecg preprocess` writes I, II, III, aVR, aVL, aVF, V1–V6)")
    }
    try store.requireStandardLeadOrder(for: "--task classification")
    let encoder =
      try given.map {
        try CheckpointEncoder(settings: $0, checkpoint: checkpoint, ema: ema, fromFlags: networkFromFlags)
      }
      ?? CheckpointEncoder(checkpoint, ema: ema)
    let settings = encoder.settings
    let labeler = try RecordLabeler(labelSet, labelsDirectory: options.labelsDirectory)
    let dataset = try ClassificationDataset(
      store: store, labeler: labeler,
      requiredSplits: options.protocolKind == .zeroshot ? [.test] : Set(Split.allCases))
    let merlWindow = labelSet == .cpsc2018 && options.cpscWindow == "merl"
    let preparation = WindowPreparation(
      length: settings.segmentLen, normalization: SignalNormalization(rawValue: settings.ecgNorm) ?? .instanceMinMax,
      eps: settings.normEps, merlKeptSamples: merlWindow ? Int(5 * store.manifest.samplingRate) : nil)
    let dataName = dataName(storePath)

    var results: ClassificationResults
    if options.protocolKind == .zeroshot {
      results = try zeroShot(encoder, options, dataset, store, preparation, device, dataName)
    } else {
      var evaluation = ClassificationSettings(
        protocolKind: options.protocolKind, labelFractions: options.fractions, seeds: seeds)
      evaluation.subsetSeed = options.subsetSeed
      evaluation.device = device
      if let epochs = options.probeEpochs {
        evaluation.probe.epochs = epochs
        evaluation.fineTuning.epochs = epochs
        evaluation.fineTuning.warmupEpochs = min(evaluation.fineTuning.warmupEpochs, Double(epochs) * 0.3)
      }
      results = try ClassificationEvaluation.run(
        dataset: dataset, store: store, preparation: preparation, settings: evaluation, dataName: dataName,
        pretrained: { try encoder.pretrained() }, randomInitialisation: { try encoder.randomInitialisation(seed: $0) },
        progress: progress)
    }
    if merlWindow {
      results.notes.append("CPSC2018 input: first 5 s zero-padded to 10 s, as MERL (--cpsc_window merl)")
    }
    if let note = windowLengthNote(
      stored: store.segmentLength, network: settings.segmentLen, samplingRate: store.manifest.samplingRate)
    {
      results.notes.append(note)
    }
    if let note = missingRecordsNote(
      missing: dataset.missingRecords,
      evaluated: (dataset.train.count, dataset.validation.count, dataset.test.count))
    {
      results.notes.append(note)
    }
    try FileManager.default.createDirectory(at: outputFolder, withIntermediateDirectories: true)
    try OutputFile.write(Data(try resultJSON(results).utf8), to: resultsFile(results, in: outputFolder).path)
    return results
  }

  /// `classification_<labels>_<protocol>_<data>_results.json` in `folder`.
  static func resultsFile(_ results: ClassificationResults, in folder: URL) -> URL {
    resultsFile(labels: results.labels, protocolName: results.protocolName, data: results.data, in: folder)
  }

  /// `classification_<labels>_<protocol>_<data>_results.json` in `folder`, `data` being the store folder's name:
  /// the linear probe, fine-tuning and zero-shot of one label set keep their own files.
  static func resultsFile(labels: ClassificationLabelSet, protocolName: String, data: String, in folder: URL) -> URL {
    folder.appendingPathComponent("classification_\(labels.rawValue)_\(protocolName)_\(data)_results.json")
  }

  /// The `<data>` part of the results name: the store folder's name.
  static func dataName(_ storePath: String) -> String {
    URL(fileURLWithPath: storePath).standardizedFileURL.lastPathComponent
  }

  /// `ecg eval --task classification`: the context's checkpoint, settings, stores (`--data`, else the run's),
  /// seeds, device and output folder; prints progress, a table and the results path.
  static func run(options: ClassificationOptions, context: EvalContext) throws {
    let results = try run(
      options: options, checkpoint: context.checkpoint, ema: context.options.ema, stores: context.settings.data,
      device: context.device, seeds: context.seeds, outputFolder: context.outputFolder, settings: context.settings,
      networkFromFlags: context.networkFromFlags
    ) { event in
      switch event {
      case .extractingFeatures(let encoder, let split): context.log("features: \(encoder), \(split.rawValue) split")
      case .finishedRun(let encoder, let fraction, let seed, let auroc):
        context.log("\(encoder) at fraction \(fraction), seed \(seed): test macro AUROC \(auroc)")
      }
    }
    for line in table(results) { context.log(line) }
    for note in results.notes { context.log("note: \(note)") }
    let file = resultsFile(results, in: context.outputFolder)
    context.log("results: \(file.path)")
    let report = EvaluationReport.fileBeside(resultsJSON: file)
    try HTMLReportRenderer().write(
      EvaluationReport(
        classification: results,
        metadata: context.reportMetadata(task: "classification", deterministic: options.protocolKind == .zeroshot),
        resultsJSON: try? String(contentsOf: file, encoding: .utf8)), to: report)
    context.log("report: \(report.path)")
  }

  /// Says how much of MERL's split the store lacks (nil when nothing is missing): the published numbers beside
  /// ours come from the whole split.
  /// How the store's windows were fitted to the network's input length, nil when they already match.
  static func windowLengthNote(stored: Int, network: Int, samplingRate: Double) -> String? {
    guard stored != network else { return nil }
    func seconds(_ samples: Int) -> String { String(format: "%g s", Double(samples) / samplingRate) }
    let head =
      "the store's windows hold \(stored) samples (\(seconds(stored))), the network reads \(network) "
      + "(\(seconds(network))): "
    return stored < network
      ? head + "each window was zero-padded at the end to \(network) samples (as MERL pads short records)"
      : head + "each window was cut to its first \(network) samples"
  }

  static func missingRecordsNote(missing: Int, evaluated: (train: Int, validation: Int, test: Int)) -> String? {
    guard missing > 0 else { return nil }
    let listed = missing + evaluated.train + evaluated.validation + evaluated.test
    return "\(missing) of the \(listed) records of MERL's split files are not in the store (evaluated: train "
      + "\(evaluated.train), validation \(evaluated.validation), test \(evaluated.test)); MERL's published "
      + "numbers come from the whole split"
  }

  /// One line per row: encoder, protocol, fraction, mean ± std of the headline metrics and MERL's column.
  static func table(_ results: ClassificationResults) -> [String] {
    func cell(_ value: SeedAggregate?) -> String {
      guard let value else { return "-" }
      return String(format: "%.4f ± %.4f", value.mean, value.std)
    }
    var lines =
      results.rows.isEmpty
      ? [] : ["encoder | protocol | fraction | AUROC | AUPRC | F1 | merl_compat AUROC | MERL published %"]
    for row in results.rows {
      let published = row.merlPublished.map { String(format: "%.2f (%@)", $0.auroc, $0.source) } ?? "-"
      lines.append(
        "\(row.encoder) | \(row.protocolName) | \(row.labelFraction) | \(cell(row.aggregate["auroc_macro"])) | "
          + "\(cell(row.aggregate["auprc_macro"])) | \(cell(row.aggregate["f1_macro"])) | "
          + "\(cell(row.aggregate["merl_compat_max_test_auroc"])) | \(published)")
    }
    if let zeroShot = results.zeroShot {
      let published = zeroShot.merlPublished.map {
        String(format: "; MERL published AUROC %.2f %% (%@)", $0.auroc, $0.source)
      }
      lines.append(
        String(
          format: "zero-shot (one deterministic run): AUROC %.4f, AUPRC %.4f, merl_compat F1-max %.4f",
          zeroShot.test.aurocMacro, zeroShot.test.auprcMacro, zeroShot.merlCompatF1Max) + (published ?? ""))
    }
    return lines
  }

  private static func zeroShot(
    _ encoder: CheckpointEncoder, _ options: ClassificationOptions, _ dataset: ClassificationDataset,
    _ store: DatasetStore, _ preparation: WindowPreparation, _ device: Device, _ dataName: String
  ) throws -> ClassificationResults {
    guard let merl = try encoder.pretrained() as? Merl else {
      throw CommandError(
        "--protocol zeroshot needs a MERL checkpoint (class prompts through its text model); this run trained "
          + "\(encoder.settings.neuralNetwork.rawValue): use --protocol linear")
    }
    guard let folder = try encoder.settings.textModelFolder(), let directory = options.labelsDirectory else {
      throw CommandError(
        "zero-shot needs the run's text model folder and --labels_dir with merl_splits/CKEPE_prompt.json")
    }
    merl.to(device: device)
    let prompts = try zeroShotPrompts(
      classes: dataset.classes, promptFile: directory.appendingPathComponent("merl_splits/CKEPE_prompt.json"))
    let result = try ECGEvaluation.zeroShot(
      merl, prompts: prompts, tokenizer: try folder.loadTokenizer(), test: dataset.test, store: store,
      preparation: preparation, device: device, labelSet: dataset.labelSet)
    return ClassificationResults(
      labels: dataset.labelSet, data: dataName, protocolName: "zeroshot", classes: dataset.classes,
      splitRecords: ["train": dataset.train.count, "validation": dataset.validation.count, "test": dataset.test.count],
      // One deterministic run: no seeds to list.
      droppedRecords: dataset.droppedRecords, missingRecords: dataset.missingRecords, seeds: [], rows: [],
      zeroShot: result, notes: ["zero-shot: deterministic, one run; MERL's prompts verbatim, lower-cased"])
  }

  /// The results as JSON, with `NaN`/`Infinity` written bare as Python's `json.dump` does.
  static func resultJSON(_ results: ClassificationResults) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "__ecg_inf__", negativeInfinity: "__ecg_-inf__", nan: "__ecg_nan__")
    return String(decoding: try encoder.encode(results), as: UTF8.self)
      .replacingOccurrences(of: "\"__ecg_inf__\"", with: "Infinity")
      .replacingOccurrences(of: "\"__ecg_-inf__\"", with: "-Infinity")
      .replacingOccurrences(of: "\"__ecg_nan__\"", with: "NaN") + "\n"
  }
}

/// A checkpoint with its run configuration: makes its network pretrained or at default initialisation.
struct CheckpointEncoder {
  let settings: PretrainSettings
  let state: StateDict
  let path: String
  /// Whether the network's settings came from the network flags (a checkpoint file), not the run's config.yaml.
  let fromFlags: Bool
  /// Where the network's settings came from, as messages name it.
  var settingsSource: String { fromFlags ? "these flags" : "its config.yaml" }

  /// `fromFlags`: `settings` came from the network flags (a checkpoint file), not the run's `config.yaml`.
  init(settings: PretrainSettings, checkpoint: String, ema: Bool, fromFlags: Bool = false) throws {
    self.fromFlags = fromFlags
    var settings = settings
    settings.nnCkpt = nil
    settings.numWorkers = 0
    self.settings = settings
    var isFolder: ObjCBool = false
    _ = FileManager.default.fileExists(atPath: checkpoint, isDirectory: &isFolder)
    let url = URL(fileURLWithPath: checkpoint)
    path = isFolder.boolValue ? try CheckpointFolder.resolveWeights(url).url.path : checkpoint
    state = try CheckpointLoading.readStateDict(at: URL(fileURLWithPath: path), ema: ema).state
  }

  init(_ path: String, ema: Bool) throws {
    let given = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
      throw CommandError(
        "--nn_ckpt \(path) is not a run or checkpoint folder of `ecg pretrain`; classification needs the run's "
          + "config.yaml to rebuild the network")
    }
    let folder = try CheckpointFolder.resolveWeights(given)
    guard let yaml = folder.configuration() else {
      throw CommandError("\(folder.url.path) has no config.yaml, so the network's settings are unknown")
    }
    var settings = try RunFolder.decode(PretrainSettings.self, yaml: yaml, from: folder.url)
    fromFlags = false
    settings.nnCkpt = nil
    settings.numWorkers = 0
    self.settings = settings
    self.path = folder.url.path
    state = try CheckpointLoading.readStateDict(at: folder.url, ema: ema).state
  }

  /// The network of the run's configuration at default initialisation (drawn from libtorch's generator).
  func makeNetwork() throws -> any FeatureExtracting {
    let module = try PretrainNetworks.build(settings).module
    if let dit = module as? DiT, dit.config.inputDim != 12 {
      throw CommandError("this DiT is lead-conditioned (input_dim \(dit.config.inputDim)); its features need 12 leads")
    }
    guard let network = module as? any FeatureExtracting else {
      throw CommandError(
        "\(settings.neuralNetwork.rawValue) has no pooled signal features yet (the decoder reads ECG-Byte tokens); "
          + "evaluate DiT, NEPA, MAE-ViT, MTAE, MLAE, ST-MEM or MERL")
    }
    return network
  }

  /// Default initialisation drawn from `seed`: the random-initialisation baseline.
  func randomInitialisation(seed: UInt64) throws -> any FeatureExtracting {
    Torch.manualSeed(seed)
    return try makeNetwork()
  }

  /// The network with the checkpoint's weights; every key must fit.
  func pretrained() throws -> any FeatureExtracting {
    let network = try makeNetwork()
    let report: CheckpointLoadReport
    do {
      report = try CheckpointLoading.load(state, into: network)
    } catch {
      throw CommandError("the checkpoint \(path) does not fit the network of \(settingsSource): \(error)\(remedy)")
    }
    let keys = report.keys
    guard keys.missing.isEmpty, keys.unexpected.isEmpty, keys.shapeMismatches.isEmpty else {
      throw CommandError(
        "the checkpoint \(path) does not fit the \(settings.neuralNetwork.rawValue) of \(settingsSource) (\(keys))"
          + remedy)
    }
    return network
  }

  /// What to do when the checkpoint does not fit the network.
  private var remedy: String {
    fromFlags
      ? "; pass the --neural_network, --objective, --preset and size flags it was trained with, or evaluate the run "
        + "folder it came from"
      : "; pass the checkpoint of the run that wrote this config.yaml"
  }
}
