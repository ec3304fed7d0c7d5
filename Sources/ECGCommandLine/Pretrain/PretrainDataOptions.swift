import ArgumentParser

/// Data flags of the reference's pretraining entry point (evaluation.md §8.1), snake_case and kebab-case.
struct PretrainDataOptions: ParsableArguments {
  @Option(
    name: [.long], parsing: .upToNextOption,
    help: ArgumentHelp(
      "Dataset stores (folders written by `ecg preprocess` / `ecg data synth`) or reference dataset names "
        + "(ptb_xl, mimic_iv, code15, cpsc, csn) read from --data_dir; several mix.", valueName: "store-or-name"))
  var data: [String] = []

  @Option(
    name: [.long, .customLong("data_dir")], help: "Folder holding the reference's <name>/preprocessed_<len>/ data.")
  var dataDir: String?

  @Flag(
    name: [.long, .customLong("exclude_test_split")],
    help: ArgumentHelp(
      "Pretrain on the train and validation windows of each store only, so the store's test split, which ecg "
        + "eval scores by default, stays unseen (ours; the reference pretrains on every window)."))
  var excludeTestSplit = false

  @Option(
    name: [.long, .customLong("data_subset")], parsing: .unconditional,
    help: "Fraction of each dataset to use (a seeded subset).")
  var dataSubset: Double = 1

  @Option(
    name: [.long, .customLong("data_sampling_probs")], parsing: .upToNextOption,
    help: "One sampling probability per --data entry (normalised); without it the datasets are concatenated.")
  var dataSamplingProbs: [Double] = []

  @Flag(help: "Augment windows (pipeline.md §4.4).")
  var augment = false

  @Option(name: [.long, .customLong("data_representation")], help: "signal or bpe_symbolic.")
  var dataRepresentation: String?

  @Option(
    name: [.long, .customLong("segment_len")], parsing: .unconditional,
    help: "Samples per window; selects preprocessed_<n>.")
  var segmentLen = 2500

  @Option(parsing: .unconditional, help: "Sampling rate (Hz).")
  var sf = 250

  @Option(
    name: [.long, .customLong("bpe_symbolic_len")], parsing: .unconditional,
    help: "Token sequence length for bpe_symbolic.")
  var bpeSymbolicLen = 2048

  @Option(name: [.long, .customLong("bpe_tokenizer_path")], help: "The ECG-Byte tokenizer (reference .pkl or ours).")
  var bpeTokenizerPath = Self.referenceTokenizerPath

  /// The reference's default `--bpe_tokenizer_path`.
  static let referenceTokenizerPath = "src/dataloaders/data_representation/bpe/ecg_byte_tokenizer_10000.pkl"

  /// `--bpe_tokenizer_path` when it was given (nil while it is the reference's default).
  var givenBPETokenizerPath: String? { bpeTokenizerPath == Self.referenceTokenizerPath ? nil : bpeTokenizerPath }

  @Option(name: [.long, .customLong("num_workers")], parsing: .unconditional, help: "Loader worker threads.")
  var numWorkers = 0

  @Option(name: [.long, .customLong("norm_eps")], parsing: .unconditional, help: "Normalisation epsilon.")
  var normEps = 1e-6

  @Option(
    name: [.long, .customLong("ecg_norm")],
    help: "instance_minmax, instance_zscore, lead_minmax or lead_zscore.")
  var ecgNorm = "instance_minmax"

  @Option(help: "Condition generative networks on `text` (the report) or `lead`.")
  var condition: String?

  @Option(
    name: [.long, .customLong("condition_lead")], parsing: .unconditional,
    help: "Lead index for --condition lead (0, 1 or 6–11).")
  var conditionLead = 0

  @Option(
    name: [.long, .customLong("condition_dropout")], parsing: .unconditional,
    help:
      "Probability of dropping DiT's condition in training (classifier-free guidance; the reference ignores the flag and uses 0.1)."
  )
  var conditionDropout = 0.1

  @Option(
    name: [.long, .customLong("cfg_scale")], parsing: .unconditional,
    help: "Classifier-free guidance scale (evaluation).")
  var cfgScale = 1.0

  @Option(
    name: [.long, .customLong("condition_text_max_len")], parsing: .unconditional,
    help: "Token length of text conditions.")
  var conditionTextMaxLen = 128

  @Option(
    name: [.long, .customLong("text_feature_extractor")],
    help: "A local Hugging Face model folder (config.json, vocab.txt or tokenizer.json, model.safetensors).")
  var textFeatureExtractor: String?

  @Option(help: "Task; pretraining forces `pretrain`.")
  var task: String?

  @Option(
    name: [.long, .customLong("forecast_ratio")], parsing: .unconditional, help: "Forecasting share (evaluation).")
  var forecastRatio = 0.5
}
