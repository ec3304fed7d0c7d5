import ECGCore
import ECGTraining
import Torch

/// Every resolved setting of a pretraining run under the reference's flag names: what `config.yaml` holds
/// (keys sorted, as the reference's PyYAML dump), and what `--resume` reads back.
struct PretrainSettings: Codable, Equatable {
  // Data (evaluation.md §8.1).
  var data: [String]
  var dataDir: String?
  /// `--exclude_test_split` (ours): stores give their train and validation windows only; nil in runs written
  /// before the flag (every window).
  var excludeTestSplit: Bool?
  var dataSubset: Double
  var dataSamplingProbs: [Double]?
  var augment: Bool
  var dataRepresentation: String
  var segmentLen: Int
  var sf: Int
  var bpeSymbolicLen: Int
  var bpeTokenizerPath: String
  var numWorkers: Int
  var normEps: Double
  var ecgNorm: String
  var condition: String?
  var conditionLead: Int
  var conditionDropout: Double
  var cfgScale: Double
  var conditionTextMaxLen: Int
  var textFeatureExtractor: String?
  var task = "pretrain"
  var mode = "pretrain"
  var forecastRatio: Double
  // Network.
  var neuralNetwork: NetworkKind
  var objective: String
  var preset: String
  /// The preset's sizes with the overrides applied (nil = the network's reference default).
  var dModel: Int?
  var numLayers: Int?
  var nHeads: Int?
  var dimFF: Int?
  /// DiT's `max_seq_len` (ours; nil = the reference builder's 2500).
  var maxSeqLen: Int?
  var patchDim: Int
  var numPatches: Int
  var signalHead: Bool
  var signalHeadLayers: Int
  var signalHeadNumSteps: Int
  var freezeDecoder: Bool
  var flowLossWeight: Double
  var nnCkpt: String?
  var bfloat16: Bool
  var torchCompile: Bool
  // Training (evaluation.md §8.2).
  var epochs: Int
  var batchSize: Int
  var optimizer: String
  var lr: Double
  var weightDecay: Double
  var patience: Int
  var patienceDelta: Double
  var beta1: Double
  var beta2: Double
  var eps: Double
  var muonMomentum: Double
  var muonNesterov = true
  var muonNsSteps: Int
  var muonAdamwLrRatio: Double
  var lrSchedule: String
  var minLrRatio: Double
  var warmup: Int
  var refGlobalBs: Int?
  var gradAccumSteps: Int
  var gradClip: Double
  var scaleWd: String
  var saveStep: Bool
  var ema: Bool
  var emaDecay: Double
  var maxSteps: Int?
  var logEvery: Int
  /// `--fused` (ours): the fused Adam kernel; nil in runs written before the flag (off).
  var fused: Bool?
  /// `--tf32` / `--no_tf32` (ours): TF32 matmuls on CUDA; nil in runs written before the flag (off).
  var tf32: Bool?
  // Run.
  var seed: UInt64
  var dev: Bool
  var device: String
  var threads: Int?
  var distributed: Bool
  /// `--sync_bn`; nil in the config.yaml of runs from before the flag.
  var syncBn: Bool? = nil
  var wandb: Bool
  /// The run's `config.yaml`: every setting, an unset one as `null` (the reference dumps every argument).
  func configurationYAML() throws -> String {
    try RunFolder.yaml(self, keys: CodingKeys.allCases.map(\.rawValue))
  }

  // Provenance.
  var gitCommit: String?
  var libtorchVersion: String
  var runDir: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case data, augment, sf, condition, task, mode, objective, preset, optimizer, lr, patience, beta1, beta2, eps
    case warmup, ema, epochs, seed, dev, device, threads, distributed, wandb, fused, tf32
    case syncBn = "sync_bn"
    case dataDir = "data_dir"
    case excludeTestSplit = "exclude_test_split"
    case dataSubset = "data_subset"
    case dataSamplingProbs = "data_sampling_probs"
    case dataRepresentation = "data_representation"
    case segmentLen = "segment_len"
    case bpeSymbolicLen = "bpe_symbolic_len"
    case bpeTokenizerPath = "bpe_tokenizer_path"
    case numWorkers = "num_workers"
    case normEps = "norm_eps"
    case ecgNorm = "ecg_norm"
    case conditionLead = "condition_lead"
    case conditionDropout = "condition_dropout"
    case cfgScale = "cfg_scale"
    case conditionTextMaxLen = "condition_text_max_len"
    case textFeatureExtractor = "text_feature_extractor"
    case forecastRatio = "forecast_ratio"
    case neuralNetwork = "neural_network"
    case dModel = "d_model"
    case numLayers = "num_layers"
    case nHeads = "n_heads"
    case dimFF = "dim_ff"
    case maxSeqLen = "max_seq_len"
    case patchDim = "patch_dim"
    case numPatches = "num_patches"
    case signalHead = "signal_head"
    case signalHeadLayers = "signal_head_layers"
    case signalHeadNumSteps = "signal_head_num_steps"
    case freezeDecoder = "freeze_decoder"
    case flowLossWeight = "flow_loss_weight"
    case nnCkpt = "nn_ckpt"
    case bfloat16 = "bfloat_16"
    case torchCompile = "torch_compile"
    case batchSize = "batch_size"
    case weightDecay = "weight_decay"
    case patienceDelta = "patience_delta"
    case muonMomentum = "muon_momentum"
    case muonNesterov = "muon_nesterov"
    case muonNsSteps = "muon_ns_steps"
    case muonAdamwLrRatio = "muon_adamw_lr_ratio"
    case lrSchedule = "lr_schedule"
    case minLrRatio = "min_lr_ratio"
    case refGlobalBs = "ref_global_bs"
    case gradAccumSteps = "grad_accum_steps"
    case gradClip = "grad_clip"
    case scaleWd = "scale_wd"
    case saveStep = "save_step"
    case emaDecay = "ema_decay"
    case maxSteps = "max_steps"
    case logEvery = "log_every"
    case gitCommit = "git_commit"
    case libtorchVersion = "libtorch_version"
    case runDir = "run_dir"
  }

  var size: ModelSize { ModelSize(dModel: dModel, numLayers: numLayers, nHeads: nHeads, dimFF: dimFF) }

  /// The loop's settings.
  var training: TrainingConfiguration {
    var configuration = TrainingConfiguration()
    configuration.epochs = epochs
    configuration.batchSize = batchSize
    configuration.gradientAccumulationSteps = gradAccumSteps
    configuration.gradientClip = gradClip
    configuration.ema = ema
    configuration.emaDecay = emaDecay
    configuration.patience = patience
    configuration.patienceDelta = patienceDelta
    configuration.saveStep = saveStep
    configuration.dev = dev
    configuration.maxSteps = maxSteps
    configuration.bfloat16 = bfloat16
    configuration.seed = seed
    configuration.logEvery = logEvery
    return configuration
  }

  /// The reference optimizer wrapper's settings for a run of `batchesPerEpoch` micro-batches per epoch.
  func optimizerConfiguration(batchesPerEpoch: Int) -> OptimizerConfiguration {
    var configuration = OptimizerConfiguration()
    configuration.kind = OptimizerKind(rawValue: optimizer)!
    configuration.learningRate = lr
    configuration.weightDecay = weightDecay
    configuration.beta1 = beta1
    configuration.beta2 = beta2
    configuration.eps = eps
    configuration.muonMomentum = muonMomentum
    configuration.muonNewtonSchulzSteps = muonNsSteps
    configuration.muonAdamWLearningRateRatio = muonAdamwLrRatio
    configuration.schedule = LearningRateSchedule.Decay(rawValue: lrSchedule)!
    configuration.warmupSteps = warmup
    configuration.minLearningRateRatio = minLrRatio
    configuration.referenceGlobalBatchSize = refGlobalBs ?? 0
    configuration.weightDecayScaling = WeightDecayScaling(rawValue: scaleWd)!
    configuration.batchSize = batchSize
    configuration.gradientAccumulationSteps = gradAccumSteps
    configuration.worldSize = 1
    configuration.maxSteps = training.totalOptimizerSteps(batchesPerEpoch: batchesPerEpoch)
    configuration.adamImplementation = fused == true ? .fused : nil
    return configuration
  }
}
