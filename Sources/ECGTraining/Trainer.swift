import ECGCore
import ECGModels
import Foundation
import Torch

/// The pretraining loop (pipeline.md §8): one function, read top to bottom, nanoGPT style.
///
/// Per optimizer step it runs `grad_accum_steps` micro-batches (forward under bf16 autocast with
/// `--bfloat_16`, backward of loss / window), clips the global gradient norm, lets the reference optimizer set
/// the scheduled learning rate and step, updates the EMA and clears the gradients. Epoch averages decide the
/// "best" checkpoint and early stopping as the reference does. Checkpoints are written at every epoch's end,
/// as "best" when the epoch improved, about every fifth of an epoch with `--save_step`, and when the caller
/// asks to stop; each holds everything an exact resume needs (`restore(from:)`).
///
/// Host–device syncs: `.item()` at log intervals, at epoch ends and when a checkpoint is written; the gradient
/// clipping's norm (only with `--grad_clip`). Nothing else waits for the device.
public final class Trainer {
  public let network: any Pretrainable
  public let optimizer: ReferenceOptimizer
  public let ema: EMA?
  public let batches: any TrainingBatches
  public let configuration: TrainingConfiguration
  public let device: Device
  /// Where checkpoints go (`<run>/checkpoints`); nil writes none.
  public let checkpointDirectory: URL?
  /// The run's `config.yaml`, copied into every checkpoint.
  public let runConfiguration: String?
  /// The loop's position and memory (saved in `trainer.json`).
  public private(set) var state: TrainerState
  /// Data-parallel training over a process group (`--distributed`); nil trains on this process alone.
  public var distributed: DistributedTraining?
  private let draws = RandomDraws()

  public init(
    network: any Pretrainable, optimizer: ReferenceOptimizer, batches: any TrainingBatches,
    configuration: TrainingConfiguration, device: Device = .cpu, checkpointDirectory: URL? = nil,
    runConfiguration: String? = nil
  ) throws {
    try configuration.validate()
    self.network = network
    self.optimizer = optimizer
    self.batches = batches
    self.configuration = configuration
    self.device = device
    self.checkpointDirectory = checkpointDirectory
    self.runConfiguration = runConfiguration
    ema = configuration.ema ? EMA(network.module.trainableParameters(), decay: configuration.emaDecay) : nil
    state = TrainerState(seed: configuration.seed)
  }

  /// Puts the run back where `checkpoint` left it: weights, optimizer (with its schedule position), EMA, the
  /// loop's position and memory, and libtorch's random generators. The seed must be the checkpoint's, since
  /// the loader's draws derive from it.
  public func restore(from checkpoint: CheckpointFolder) throws {
    let saved = try checkpoint.trainerState()
    guard saved.seed == configuration.seed else {
      throw TrainingError.cannotResume(
        "the checkpoint was trained with --seed \(saved.seed), this run has \(configuration.seed); "
          + "resume with the same seed"
      )
    }
    try network.module.load(stateDict: checkpoint.modelState(), strict: true)
    try optimizer.restore(checkpoint.optimizerState())
    switch (ema, try checkpoint.emaState()) {
    case (let ema?, let shadows?): try ema.restore(shadows)
    case (nil, _): break
    case (_?, nil):
      throw TrainingError.cannotResume("the checkpoint has no EMA state; resume without --ema or from a run with it")
    }
    try saved.restoreRandomStates(device: device)
    state = saved
  }

  /// What the run trains on (saved in every checkpoint; see `TrainerState.dataIdentity`).
  public var dataIdentity: [String]? {
    get { state.dataIdentity }
    set { state.dataIdentity = newValue }
  }

  /// Why a run has nothing left to train; its description is the reason as messages give it.
  public enum Completion: Sendable, Equatable, CustomStringConvertible {
    case epochsDone(epochs: Int, step: Int)
    case stepsDone(steps: Int)
    /// Early stopping's rule holds after `epoch`: more epochs or steps would not change it.
    case earlyStopped(epoch: Int, patience: Int, delta: Double)

    /// Whether early stopping ended the run (more epochs would not train it further).
    public var isEarlyStopping: Bool {
      if case .earlyStopped = self { return true }
      return false
    }

    public var description: String {
      switch self {
      case .epochsDone(let epochs, let step): "its \(epochs) epoch(s) are done at step \(step)"
      case .stepsDone(let steps): "it reached its \(steps) optimizer steps"
      case .earlyStopped(let epoch, let patience, let delta):
        "early stopping ended it after epoch \(epoch): \(patience) epoch(s) without an improvement of \(delta)"
      }
    }
  }

  /// Why the run has nothing left to train (its epochs are done, its optimizer steps, or early stopping's rule
  /// holds), nil while it has: what a run restored from its last checkpoint is asked before it is resumed.
  public var completion: Completion? {
    let total = configuration.totalOptimizerSteps(batchesPerEpoch: batches.batchesPerEpoch)
    if state.epoch >= configuration.epochs { return .epochsDone(epochs: configuration.epochs, step: state.step) }
    if state.step >= total { return .stepsDone(steps: total) }
    let stopping = EarlyStopping(patience: configuration.patience, delta: configuration.patienceDelta)
    if state.batchInEpoch == 0, state.epoch > 0, stopping.shouldStop(losses: state.epochLosses) {
      return .earlyStopped(
        epoch: state.epoch - 1, patience: configuration.patience, delta: configuration.patienceDelta)
    }
    return nil
  }

  /// Runs until every epoch is done, `--max_steps` is reached, early stopping triggers, or `shouldStop`
  /// returns true after a step (then a checkpoint named "interrupt" is written).
  @discardableResult
  public func run(
    shouldStop: () -> Bool = { false }, progress: (TrainingEvent) -> Void = { _ in }
  ) throws -> TrainingOutcome {
    let perEpoch = batches.batchesPerEpoch
    guard perEpoch > 0 else { throw TrainingError.noBatches }
    let accumulation = configuration.gradientAccumulationSteps
    let stepsPerEpoch = configuration.optimizerStepsPerEpoch(batches: perEpoch)
    let totalSteps = configuration.totalOptimizerSteps(batchesPerEpoch: perEpoch)
    // Step checkpoints at s = 0 and every ⌊steps/5⌋ (the reference's rule, in optimizer steps).
    let saveInterval = Swift.max(1, stepsPerEpoch / 5)
    let stopping = EarlyStopping(patience: configuration.patience, delta: configuration.patienceDelta)
    let parameters = network.module.trainableParameters().map(\.tensor)
    network.module.train()
    try distributed?.start(module: network.module, parameters: parameters)
    progress(
      .started(
        TrainingPlan(
          epochs: configuration.epochs, batchesPerEpoch: perEpoch, optimizerStepsPerEpoch: stepsPerEpoch,
          totalOptimizerSteps: totalSteps, startEpoch: state.epoch, startBatch: state.batchInEpoch,
          startStep: state.step)))

    var clock = Date()
    var samplesSinceLog = 0
    var lastLogTime = state.elapsedSeconds
    while state.epoch < configuration.epochs {
      let epoch = state.epoch
      // Running Σ loss of the epoch stays on the device; read at the epoch's end.
      let epochLoss = Tensor(scalar: state.epochLossSum).to(device: device)
      let iterator = batches.batches(epoch: epoch, startingAt: state.batchInEpoch).makeIterator()
      progress(.epochStarted(epoch: epoch, batch: state.batchInEpoch))

      while state.batchInEpoch < perEpoch {
        if state.step >= totalSteps {
          state.epochLossSum = epochLoss.item()  // sync: the run ends here
          try checkpoint(named: "last", reason: "last", clock: &clock, progress: progress)
          return .reachedMaxSteps
        }
        // The last window of an epoch may be shorter; scaling by its own size keeps the gradient a mean.
        let window = Swift.min(accumulation, perEpoch - state.batchInEpoch)
        let stepLoss = Tensor.zeros([], dtype: .float64, device: device)
        var shapes: [String: [Int]] = [:]
        for micro in 0..<window {
          guard let batch = iterator.next() else { throw TrainingError.noLoadableWindow(epoch: epoch) }
          let input = batch.to(device)
          if configuration.dev { shapes = input.tensorShapes }
          let loss = try distributed?.forward { trainingLoss(input) } ?? trainingLoss(input)
          let scaled = loss * (1 / Double(window))
          if let distributed {
            try distributed.backward(scaled, synchronize: micro == window - 1)  // DDP's no_sync before the last
          } else {
            scaled.backward()
          }
          stepLoss += loss.detach().to(.float64)
          samplesSinceLog += input.batchSize
          state.batchInEpoch += 1
        }
        let learningRate = optimizer.currentLearningRate
        let endOfEpoch = state.batchInEpoch == perEpoch
        let logsNow = (state.step + 1) % configuration.logEvery == 0 || endOfEpoch || state.step + 1 == totalSteps
        var gradientNorm: Tensor?
        if configuration.gradientClip > 0 {
          // No sync: the total norm stays a tensor until a log step reads it.
          gradientNorm = clipGradientNorm(parameters, maxNorm: configuration.gradientClip)
        } else if logsNow {
          gradientNorm = Self.globalNorm(parameters)
        }
        optimizer.step()
        ema?.update()
        optimizer.zeroGrad()
        state.step += 1
        epochLoss += stepLoss
        state.epochLossCount += window
        let stepInEpoch = (state.batchInEpoch - 1) / accumulation  // 0-based
        progress(.stepFinished(step: state.step, epoch: epoch, batch: state.batchInEpoch))

        if configuration.dev {
          // sync: the one batch's loss.
          progress(.devBatch(shapes: shapes, loss: stepLoss.item() / Double(window)))
          return .devBatch
        }
        if logsNow {
          // sync: loss and gradient norm come to the host once per log interval.
          let loss = stepLoss.item() / Double(window)
          guard loss.isFinite else { throw TrainingError.nonFiniteLoss(step: state.step, value: loss) }
          let now = state.elapsedSeconds + Date().timeIntervalSince(clock)
          progress(
            .metrics(
              StepMetrics(
                step: state.step, epoch: epoch, loss: loss, learningRate: learningRate,
                gradientNorm: gradientNorm?.item() ?? 0,
                samplesPerSecond: Double(samplesSinceLog) / Swift.max(now - lastLogTime, 1e-9), wallSeconds: now)))
          samplesSinceLog = 0
          lastLogTime = now
        }
        if shouldStop() {
          state.epochLossSum = epochLoss.item()  // sync: checkpoint
          try checkpoint(named: "interrupt", reason: "interrupt", clock: &clock, progress: progress)
          return .interrupted
        }
        if configuration.saveStep && !endOfEpoch && (stepInEpoch == 0 || stepInEpoch % saveInterval == 0) {
          state.epochLossSum = epochLoss.item()  // sync: checkpoint
          try checkpoint(named: "step_\(epoch)_\(state.step)", reason: "step", clock: &clock, progress: progress)
        }
      }

      // sync: the epoch average decides "best" and early stopping.
      let localAverage = epochLoss.item() / Double(Swift.max(state.epochLossCount, 1))
      let average = try distributed?.epochAverage(localAverage) ?? localAverage
      let isBest = average < (state.bestLoss ?? .infinity)
      state.epochLosses.append(average)
      if isBest { state.bestLoss = average }
      state.epoch += 1
      state.batchInEpoch = 0
      state.epochLossSum = 0
      state.epochLossCount = 0
      try checkpoint(named: "epoch_\(epoch)", reason: "epoch", clock: &clock, progress: progress)
      if isBest { try checkpoint(named: "best", reason: "best", clock: &clock, progress: progress) }
      progress(.epochFinished(epoch: epoch, averageLoss: average, isBest: isBest))
      let stops = stopping.shouldStop(losses: state.epochLosses)
      if try distributed?.agreeToStop(stops) ?? stops {
        progress(.earlyStopped(epoch: epoch))
        return .earlyStopped(epoch: epoch)
      }
    }
    return .completed
  }

  /// The global L2 norm of every gradient (as `clip_grad_norm_` computes it), left on the device.
  static func globalNorm(_ parameters: [Tensor]) -> Tensor {
    let gradients = parameters.compactMap(\.grad)
    guard let first = gradients.first else { return Tensor(scalar: 0.0) }
    return withNoGrad { Tensor.stack(gradients.map { $0.norm().to(device: first.device) }).norm() }
  }

  /// One micro-batch's loss, under bf16 autocast with `--bfloat_16`.
  private func trainingLoss(_ input: ModelInput) -> Tensor {
    configuration.bfloat16
      ? withAutocast(device: device) { network.trainingLoss(input, draws: draws) }
      : network.trainingLoss(input, draws: draws)
  }

  /// Writes the current state as checkpoint `name`; the time spent writing is not counted as training time.
  private func checkpoint(
    named name: String, reason: String, clock: inout Date, progress: (TrainingEvent) -> Void
  ) throws {
    state.elapsedSeconds += Date().timeIntervalSince(clock)
    defer { clock = Date() }
    guard let directory = checkpointDirectory else { return }
    var saved = state
    saved.reason = reason
    // The reference's epoch/step pair: an epoch checkpoint is (finished epoch, −1).
    if state.batchInEpoch == 0 && state.epoch > 0 {
      (saved.checkpointEpoch, saved.checkpointStep) = (state.epoch - 1, -1)
    } else {
      (saved.checkpointEpoch, saved.checkpointStep) = (state.epoch, state.batchInEpoch - 1)
    }
    try saved.captureRandomStates(device: device)
    saved.optimizerGroups = optimizerGroups()
    let url = directory.appendingPathComponent(name)
    try CheckpointFolder.write(
      to: url, model: network.module.stateDict(), ema: ema?.shadows, optimizer: optimizer.state(), trainer: saved,
      configuration: runConfiguration)
    progress(.checkpointSaved(url: url, reason: reason))
  }

  /// The optimizers' settings as PyTorch's param groups would hold them after the last step.
  private func optimizerGroups() -> [OptimizerGroupRecord] {
    let settings = optimizer.configuration
    let lastRate =
      settings.peakLearningRate
      * settings.learningRateSchedule.multiplier(atStep: Swift.max(optimizer.stepCount - 1, 0))
    return optimizer.optimizers.map { name, optimizer, ratio in
      OptimizerGroupRecord(
        name: name, learningRate: lastRate * ratio, weightDecay: settings.scaledWeightDecay, beta1: settings.beta1,
        beta2: settings.beta2, eps: name == "muon" ? 1e-7 : settings.eps, momentum: settings.muonMomentum,
        newtonSchulzSteps: settings.muonNewtonSchulzSteps, parameters: optimizer.parameters.map(\.name))
    }
  }
}
