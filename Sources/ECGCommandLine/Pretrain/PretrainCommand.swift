import ArgumentParser
import ECGTraining
import Foundation
import Torch

/// `ecg pretrain`: the reference's `pretrain_encoder.py` — every flag, same defaults — with real gradient
/// accumulation, bf16 mixed precision, run folders, metrics, TensorBoard, and exact resume.
struct PretrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pretrain",
    abstract: "Pretrain an ECG network (the reference's pretrain_encoder.py flags, snake_case or kebab-case).",
    discussion: """
      Writes runs/pretrain/<network>/<id>/: config.yaml, checkpoints/ (epoch_<e>, best, step_<e>_<s> with \
      --save_step, interrupt), metrics.jsonl, TensorBoard event files, DONE. Ctrl-C finishes the step, writes a \
      checkpoint and exits; --resume RUN_OR_CHECKPOINT continues bit-identically (on CPU).
      """)

  @OptionGroup(title: "Data") var dataOptions: PretrainDataOptions
  @OptionGroup(title: "Network") var modelOptions: PretrainModelOptions
  @OptionGroup(title: "Training") var trainingOptions: PretrainTrainingOptions
  @OptionGroup(title: "Run") var runOptions: PretrainRunOptions

  func validate() throws {
    if let resume = runOptions.resume {
      guard FileManager.default.fileExists(atPath: resume) else {
        throw ValidationError("--resume \(resume) does not exist; pass a run folder or a checkpoint folder")
      }
    } else {
      _ = try resolvedSettings()
    }
  }

  func run() throws {
    var settings: PretrainSettings
    var resumeFrom: CheckpointFolder?
    var runFolder: RunFolder?
    if let resume = runOptions.resume {
      let checkpoint = try CheckpointFolder.resolve(URL(fileURLWithPath: resume))
      guard let yaml = checkpoint.configuration() else {
        throw CommandError("\(checkpoint.url.path) has no config.yaml, so its settings are unknown")
      }
      settings = try RunFolder.decode(PretrainSettings.self, yaml: yaml, from: checkpoint.url)
      if let device = runOptions.device { settings.device = device }
      if let threads = runOptions.threads { settings.threads = threads }
      // Extending a finished run: more steps (the schedule's length changes with it).
      if let steps = trainingOptions.maxSteps { settings.maxSteps = steps }
      resumeFrom = checkpoint
      runFolder = RunFolder(existing: checkpoint.url.deletingLastPathComponent().deletingLastPathComponent())
    } else {
      settings = try resolvedSettings()
    }

    let environment = settings.distributed ? try DistributedEnvironment() : nil
    let resolvedDevice =
      environment.map { PretrainDistributed.device(settings.device, localRank: $0.localRank) }
      ?? Device(parsing: settings.device)
    guard let device = resolvedDevice else { throw CommandError("unknown device '\(settings.device)'") }
    try DeviceOption.check(device)
    // TF32 only matters on CUDA; the CPU path leaves the process-wide setting alone.
    if case .cuda = device { (settings.tf32 == true ? Float32MatmulPrecision.high : .highest).makeCurrent() }
    if let threads = settings.threads { Torch.intraOpThreads = threads }
    Torch.manualSeed(settings.seed)
    let distributed = try environment.map {
      try PretrainDistributed.join(environment: $0, device: device, timeoutSeconds: runOptions.distTimeout)
    }
    let isMain = distributed?.isMain ?? true
    // Rank 0 alone tells what happens (the reference's `if main`); errors still reach every rank's stderr.
    let say: (String) -> Void = isMain ? { print($0) } : { _ in }
    if let resumeFrom { say("Resuming from \(resumeFrom.url.path)") }

    let loader = try settings.makeLoader(rank: distributed?.rank ?? 0, worldSize: distributed?.worldSize ?? 1)
    say("Using \(settings.dataRepresentation) representation")
    say("Length of Dataset: \(loader.source.epochLength)")
    let network = try PretrainNetworks.make(settings)
    network.module.to(device: device)
    if let path = settings.nnCkpt, resumeFrom == nil {
      let report = try PretrainNetworks.loadInitialWeights(path, into: network, settings: settings)
      say("Loaded NN checkpoint from \(path)\n\(report)")
    }
    var optimizerSettings = settings.optimizerConfiguration(batchesPerEpoch: loader.batchesPerEpoch)
    optimizerSettings.worldSize = distributed?.worldSize ?? 1
    let optimizer = ReferenceOptimizer(optimizerSettings, parameters: network.module.namedParameters())
    say(
      "Optimizer: \(settings.optimizer), schedule \(settings.lrSchedule), "
        + "eff_bs \(settings.batchSize * settings.gradAccumSteps), scale \(optimizerSettings.learningRateScale), "
        + "lr \(optimizerSettings.peakLearningRate), betas (\(settings.beta1), \(settings.beta2)), "
        + "wd \(optimizerSettings.scaledWeightDecay)")

    if !settings.dev && runFolder == nil && isMain {
      let base = URL(fileURLWithPath: runOptions.runsDir).appendingPathComponent("pretrain")
        .appendingPathComponent(settings.neuralNetwork.rawValue)
      let created = try RunFolder.create(base: base)
      settings.runDir = created.url.path
      settings.gitCommit = SourceRevision.current()
      try created.writeConfiguration(RunFolder.yaml(settings))
      runFolder = created
    }
    if let runFolder { say("Run folder: \(runFolder.url.path)") }
    let yaml = try runFolder.map { try String(contentsOf: $0.configuration, encoding: .utf8) }

    let trainer = try Trainer(
      network: network, optimizer: optimizer, batches: LoaderBatches(loader), configuration: settings.training,
      device: device, checkpointDirectory: isMain ? runFolder?.checkpoints : nil, runConfiguration: yaml)
    if let resumeFrom { try trainer.restore(from: resumeFrom) }
    if let distributed {
      trainer.distributed = distributed.training(
        findUnusedParameters: settings.signalHead, syncBatchNorm: settings.syncBn ?? false)
      distributed.seedDraws(seed: settings.seed, step: trainer.state.step)
      if settings.syncBn == true && !network.module.namedModules().contains(where: { $0.module is BatchNorm1d }) {
        say("--sync_bn: \(settings.neuralNetwork.rawValue) has no BatchNorm layer; nothing to synchronise")
      }
    }
    let logFolder = isMain ? runFolder : nil
    let console = TrainingConsole(
      metrics: try logFolder.map { try MetricsLog(url: $0.metrics, keepingRecordsThrough: trainer.state.step) },
      tensorBoard: try logFolder.map { try TensorBoardWriter(directory: $0.url) }, plain: runOptions.plain)
    let interrupt = InterruptFlag()
    interrupt.install()
    defer { interrupt.uninstall() }
    let outcome = try trainer.run(
      shouldStop: { trainer.distributed?.anyRankStops(interrupt.isRaised) ?? interrupt.isRaised },
      progress: isMain ? console.handle : { _ in })

    if let error = console.writeError { print("warning: could not write the logs: \(error)") }
    if !loader.skipped.isEmpty { say("skipped windows: \(loader.skipped.count)") }
    guard let runFolder, isMain else { return }
    switch outcome {
    case .interrupted:
      print(
        "Interrupted\(interrupt.signalName.map { " by \($0)" } ?? ""): checkpoints/interrupt written; resume with "
          + "`ecg pretrain --resume \(runFolder.url.path)`")
      return
    case .devBatch: return
    case .completed, .reachedMaxSteps, .earlyStopped: try runFolder.markDone()
    }
    let losses = trainer.state.epochLosses
    print("run        \(runFolder.url.path)")
    print("checkpoints \(runFolder.checkpoints.path)")
    // <runs>/pretrain/<network>/<id>: TensorBoard reads every run under <runs>.
    let runs = runFolder.url.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    print("metrics    \(runFolder.metrics.path) (tensorboard --logdir \(runs.path))")
    if let first = console.firstLoss, let last = console.lastLoss {
      print(
        String(
          format: "summary: loss %.4f → %.4f over %d steps%@", first, last, trainer.state.step,
          losses.isEmpty
            ? ""
            : String(format: "; epoch averages %@", losses.map { String(format: "%.4f", $0) }.joined(separator: ", "))))
    }
  }
}
