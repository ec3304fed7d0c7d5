import Foundation

/// What the trainer reports while it runs; the command line turns these into a progress bar, console lines,
/// `metrics.jsonl` and TensorBoard scalars (the library itself never prints).
public enum TrainingEvent: Sendable {
  /// Before the first step: the plan, and where a resumed run picks up.
  case started(TrainingPlan)
  /// An epoch begins (at `batch` > 0 when resuming inside it).
  case epochStarted(epoch: Int, batch: Int)
  /// One optimizer step finished; no values, so no host–device sync (for progress bars).
  case stepFinished(step: Int, epoch: Int, batch: Int)
  /// Measured values, every `log_every` optimizer steps and at the end of an epoch.
  case metrics(StepMetrics)
  /// `--dev`: the first batch's tensor shapes and its loss.
  case devBatch(shapes: [String: [Int]], loss: Double)
  /// A checkpoint was written.
  case checkpointSaved(url: URL, reason: String)
  /// An epoch ended with this average loss.
  case epochFinished(epoch: Int, averageLoss: Double, isBest: Bool)
  /// Early stopping decided to stop after `epoch` (pipeline.md §10.2).
  case earlyStopped(epoch: Int)
}

/// The run's shape, reported once at the start.
public struct TrainingPlan: Sendable, Equatable {
  public var epochs: Int
  public var batchesPerEpoch: Int
  public var optimizerStepsPerEpoch: Int
  public var totalOptimizerSteps: Int
  /// Where the run starts: (0, 0, 0) for a new run.
  public var startEpoch: Int
  public var startBatch: Int
  public var startStep: Int
}

/// One metrics record (a line of `metrics.jsonl`).
public struct StepMetrics: Codable, Sendable, Equatable {
  /// Optimizer steps taken in the whole run.
  public var step: Int
  public var epoch: Int
  /// Mean loss of the micro-batches of the last optimizer step.
  public var loss: Double
  /// The learning rate that step used.
  public var learningRate: Double
  /// Global gradient L2 norm before clipping.
  public var gradientNorm: Double
  /// Windows per second since the previous record.
  public var samplesPerSecond: Double
  /// Training time since the run started (resumed runs continue the count).
  public var wallSeconds: Double

  public init(
    step: Int, epoch: Int, loss: Double, learningRate: Double, gradientNorm: Double, samplesPerSecond: Double,
    wallSeconds: Double
  ) {
    self.step = step
    self.epoch = epoch
    self.loss = loss
    self.learningRate = learningRate
    self.gradientNorm = gradientNorm
    self.samplesPerSecond = samplesPerSecond
    self.wallSeconds = wallSeconds
  }

  enum CodingKeys: String, CodingKey {
    case step, epoch, loss
    case learningRate = "lr"
    case gradientNorm = "grad_norm"
    case samplesPerSecond = "samples_per_s"
    case wallSeconds = "wall_s"
  }
}

/// How a run ended.
public enum TrainingOutcome: Sendable, Equatable {
  /// Every epoch ran.
  case completed
  /// `--max_steps` was reached.
  case reachedMaxSteps
  /// Early stopping ended it after this epoch.
  case earlyStopped(epoch: Int)
  /// The caller asked to stop (SIGINT); a checkpoint was written.
  case interrupted
  /// `--dev`: one batch ran.
  case devBatch
}
