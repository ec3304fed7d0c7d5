/// How the loop runs: the reference's training flags (evaluation.md §8.2) under their names, plus ours.
///
/// Coding keys are the reference's flag names, so `config.yaml`, `trainer.json` and the command line read
/// alike. Defaults are the reference's.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
  /// `--epochs`.
  public var epochs = 1
  /// `--batch_size`: windows per micro-batch, per process.
  public var batchSize = 1
  /// `--grad_accum_steps`: micro-batches per optimizer step (real accumulation; the reference only scales
  /// the learning rate with it).
  public var gradientAccumulationSteps = 1
  /// `--grad_clip`: maximum global gradient L2 norm, 0 = no clipping.
  public var gradientClip = 0.0
  /// `--ema`: keep an exponential moving average of the weights.
  public var ema = false
  /// `--ema_decay`.
  public var emaDecay = 0.999
  /// `--patience`: early stopping (pipeline.md §10.2).
  public var patience = 5
  /// `--patience_delta`: absolute loss improvement early stopping asks for.
  public var patienceDelta = 0.1
  /// `--save_step`: also checkpoint about every fifth of an epoch.
  public var saveStep = false
  /// `--dev`: one batch, shapes reported, nothing written.
  public var dev = false
  /// `--max_steps` (ours): stop after this many optimizer steps in total; nil = all epochs.
  public var maxSteps: Int? = nil
  /// `--bfloat_16`: mixed precision, bfloat16 compute under autocast with float32 weights and optimizer state
  /// (the reference instead casts the discrete decoder's weights to bfloat16).
  public var bfloat16 = false
  /// `--seed`: seeds libtorch's generator and the loader.
  public var seed: UInt64 = 0
  /// `--log_every` (ours): optimizer steps between metric reports (each costs one host–device sync).
  public var logEvery = 10

  public init() {}

  enum CodingKeys: String, CodingKey {
    case epochs
    case batchSize = "batch_size"
    case gradientAccumulationSteps = "grad_accum_steps"
    case gradientClip = "grad_clip"
    case ema
    case emaDecay = "ema_decay"
    case patience
    case patienceDelta = "patience_delta"
    case saveStep = "save_step"
    case dev
    case maxSteps = "max_steps"
    case bfloat16 = "bfloat_16"
    case seed
    case logEvery = "log_every"
  }

  /// Throws when a value cannot run, with what to change.
  public func validate() throws {
    func check(_ condition: Bool, _ message: String) throws {
      if !condition { throw TrainingError.invalidConfiguration(message) }
    }
    try check(epochs >= 1, "--epochs must be at least 1, got \(epochs)")
    try check(batchSize >= 1, "--batch_size must be at least 1, got \(batchSize)")
    try check(gradientAccumulationSteps >= 1, "--grad_accum_steps must be at least 1, got \(gradientAccumulationSteps)")
    try check(
      gradientClip >= 0 && gradientClip.isFinite, "--grad_clip must be 0 (off) or positive, got \(gradientClip)")
    try check((0...1).contains(emaDecay), "--ema_decay must lie in [0, 1], got \(emaDecay)")
    try check(patience >= 1, "--patience must be at least 1, got \(patience)")
    try check(patienceDelta >= 0, "--patience_delta must not be negative, got \(patienceDelta)")
    try check(maxSteps.map { $0 >= 1 } ?? true, "--max_steps must be at least 1, got \(maxSteps ?? 0)")
    try check(logEvery >= 1, "--log_every must be at least 1, got \(logEvery)")
  }

  /// Optimizer steps in an epoch of `batches` micro-batches (the last window may be shorter).
  public func optimizerStepsPerEpoch(batches: Int) -> Int {
    (batches + gradientAccumulationSteps - 1) / gradientAccumulationSteps
  }

  /// Optimizer steps the whole run takes: every epoch, or `maxSteps` when fewer (the schedule's max_steps).
  public func totalOptimizerSteps(batchesPerEpoch: Int) -> Int {
    let all = optimizerStepsPerEpoch(batches: batchesPerEpoch) * epochs
    return maxSteps.map { Swift.min($0, all) } ?? all
  }
}
