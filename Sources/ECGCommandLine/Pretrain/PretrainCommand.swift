import ArgumentParser
import ECGModels
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
      --save_step, last with --max_steps, interrupt), metrics.jsonl, TensorBoard event files, DONE. Ctrl-C finishes the step, writes a \
      checkpoint and exits; --resume RUN_OR_CHECKPOINT continues bit-identically (on CPU).
      """)

  @OptionGroup(title: "Data") var dataOptions: PretrainDataOptions
  @OptionGroup(title: "Network") var modelOptions: PretrainModelOptions
  @OptionGroup(title: "Training") var trainingOptions: PretrainTrainingOptions
  @OptionGroup(title: "Run") var runOptions: PretrainRunOptions

  /// The arguments `ecg` was given, when its entry point kept them: `--resume` tells a flag given at its default
  /// value from an absent one by them.
  var commandLine: [String]? = nil

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
    /// The resumed run's settings as its config.yaml held them.
    var recorded: PretrainSettings?
    var runFolder: RunFolder?
    var dataIdentity: [String]?
    if let resume = runOptions.resume {
      let checkpoint = try CheckpointFolder.resolve(URL(fileURLWithPath: resume))
      let checkpoints = URL(fileURLWithPath: resume).appendingPathComponent("checkpoints")
      for name in CheckpointFolder.unreadable(in: checkpoints) {
        print("note: skipped \(checkpoints.path)/\(name): unfinished or damaged")
      }
      guard let yaml = checkpoint.configuration() else {
        throw CommandError("\(checkpoint.url.path) has no config.yaml, so its settings are unknown")
      }
      settings = try RunFolder.decode(PretrainSettings.self, yaml: yaml, from: checkpoint.url)
      recorded = settings
      let folder = RunFolder(existing: checkpoint.url.deletingLastPathComponent().deletingLastPathComponent())
      try applyResumeFlags(to: &settings, run: folder.url.path)
      // Other data is refused before anything is built or written.
      let identity = try settings.dataIdentity()
      if let trained = try checkpoint.trainerState().dataIdentity, trained != identity {
        throw CommandError(
          "--resume \(folder.url.path) on other data: --data now gives " + identity.joined(separator: ", ")
            + "; the run trained on " + trained.joined(separator: ", ")
            + ". Resume with the run's data (a moved store keeps its index), or start a new run from its weights "
            + "(--nn_ckpt \(folder.url.path))")
      }
      dataIdentity = identity
      resumeFrom = checkpoint
      runFolder = folder
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
    if settings.neuralNetwork == .merl && resumeFrom == nil {
      let m = modelOptions
      let sizeFlags = [("d_model", m.dModel), ("n_heads", m.nHeads), ("dim_ff", m.dimFF), ("num_layers", m.numLayers)]
        .filter { $0.1 != nil }.map(\.0)
      if !sizeFlags.isEmpty {
        say(
          "note: merl's ECG encoder is a ResNet sized by --preset (tiny: ResNet-18 of widths 16–64, small: "
            + "ResNet-18, "
            + "base: the reference's ResNet-101); " + sizeFlags.map { "--\($0)" }.joined(separator: ", ")
            + " do not apply")
      }
    }
    let network = try PretrainNetworks.make(settings)
    network.module.to(device: device)
    if let path = settings.nnCkpt, resumeFrom == nil {
      let report = try PretrainNetworks.loadInitialWeights(path, into: network, settings: settings)
      try CheckpointLoading.refuseShapeMismatches(report)
      say("Loaded NN checkpoint from \(path)\n\(report)")
    }
    var optimizerSettings = settings.optimizerConfiguration(batchesPerEpoch: loader.batchesPerEpoch)
    optimizerSettings.worldSize = distributed?.worldSize ?? 1
    let optimizer = ReferenceOptimizer(optimizerSettings, parameters: network.module.namedParameters())
    // pipeline.md §12: in Muon mode also each group's parameter count (and the AdamW group's rate).
    let groups =
      optimizer.optimizers.count > 1
      ? "; "
        + optimizer.optimizers.map { name, group, ratio in
          "\(name) \(group.parameters.count) tensors"
            + (ratio == 1 ? "" : " at lr \(String(format: "%g", optimizerSettings.peakLearningRate * ratio))")
        }.joined(separator: ", ") : ""
    say(
      "Optimizer: \(settings.optimizer), schedule \(settings.lrSchedule), "
        + "eff_bs \(settings.batchSize * settings.gradAccumSteps * optimizerSettings.worldSize), "
        + "scale \(optimizerSettings.learningRateScale), "
        + "lr \(optimizerSettings.peakLearningRate), betas (\(settings.beta1), \(settings.beta2)), "
        + "wd \(optimizerSettings.scaledWeightDecay)\(groups)")
    if resumeFrom == nil {
      for note in Self.ineffectiveFlagNotes(given: Set(try givenFlags().map(\.name)), settings: settings) {
        say("note: \(note)")
      }
    }
    if optimizerSettings.warmupSteps > optimizerSettings.maxSteps {
      say(
        "note: --warmup \(optimizerSettings.warmupSteps) is longer than the run's \(optimizerSettings.maxSteps) "
          + "optimizer steps, so the learning rate stays below --lr (warm-up is linear in the step); pass a smaller "
          + "--warmup")
    }

    if !settings.dev && runFolder == nil && isMain {
      let base = URL(fileURLWithPath: runOptions.runsDir).appendingPathComponent("pretrain")
        .appendingPathComponent(settings.neuralNetwork.rawValue)
      let created = try RunFolder.create(base: base)
      settings.runDir = created.url.path
      settings.gitCommit = SourceRevision.current()
      try created.writeConfiguration(settings.configurationYAML())
      runFolder = created
    }
    // What a resume changed (moved files, more epochs) holds for the next resume, eval and sample too; the file is
    // rewritten once the resume is accepted, and the checkpoints carry the new text.
    let resumeChangedSettings = recorded.map { settings != $0 } ?? false
    if let runFolder { say("Run folder: \(runFolder.url.path)") }
    let yaml = try runFolder.map {
      resumeChangedSettings
        ? try settings.configurationYAML() : try String(contentsOf: $0.configuration, encoding: .utf8)
    }

    let trainer = try Trainer(
      network: network, optimizer: optimizer, batches: LoaderBatches(loader), configuration: settings.training,
      device: device, checkpointDirectory: isMain ? runFolder?.checkpoints : nil, runConfiguration: yaml)
    if let resumeFrom {
      do {
        try trainer.restore(from: resumeFrom)
      } catch {
        let others = runFolder.map { CheckpointFolder.all(in: $0.checkpoints).map(\.checkpoint.url.lastPathComponent) }
        let alternatives = (others ?? []).filter { $0 != resumeFrom.url.lastPathComponent }.reversed()
        guard let runFolder, !alternatives.isEmpty else { throw error }
        throw CommandError(
          "\(ErrorOutput.translated(error)); resume from another checkpoint of the run, most advanced first: "
            + alternatives.map { "--resume \(runFolder.checkpoints.path)/\($0)" }.prefix(3).joined(separator: ", "))
      }
      if let done = trainer.completion {
        let run = runFolder?.url.path ?? resumeFrom.url.path
        throw CommandError(
          "\(run) is complete (\(done)); to train further, "
            + (done.isEarlyStopping
              ? "pass a --patience above \(settings.patience) or a --patience_delta below \(settings.patienceDelta)"
              : "pass --epochs above \(settings.epochs)"
                + (settings.maxSteps.map { " or --max_steps above \($0)" } ?? "")))
      }
      if let runFolder, isMain {
        if resumeChangedSettings, let yaml { try runFolder.writeConfiguration(yaml) }
        // Training goes on: the run is no longer finished until it ends again.
        try? FileManager.default.removeItem(at: runFolder.done)
      }
    }
    trainer.dataIdentity = try dataIdentity ?? settings.dataIdentity()
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
      tensorBoard: try logFolder.map { try TensorBoardWriter(directory: $0.url) }, plain: runOptions.plain,
      dev: settings.dev)
    let interrupt = InterruptFlag()
    interrupt.install()
    defer { interrupt.uninstall() }
    let startStep = trainer.state.step
    let outcome = try trainer.run(
      shouldStop: { trainer.distributed?.anyRankStops(interrupt.isRaised) ?? interrupt.isRaised },
      progress: isMain ? console.handle : { _ in })

    if let error = console.writeError { print("warning: could not write the logs: \(error)") }
    if !loader.skipped.isEmpty { say("skipped windows: \(loader.skipped.count)") }
    if outcome == .interrupted {
      if let runFolder, isMain {
        let launch = distributed?.resumeLauncher ?? (prefix: "", onEachNode: "")
        print(
          "Interrupted\(interrupt.signalName.map { " by \($0)" } ?? ""): checkpoints/interrupt written; resume with "
            + "`\(launch.prefix)ecg pretrain --resume \(runFolder.url.path)`\(launch.onEachNode)")
      }
      // Not finished: a status that `&&`, `timeout` and job schedulers read as interrupted, as a shell reports it.
      throw ExitCode(interrupt.exitStatus)
    }
    guard let runFolder, isMain else { return }
    switch outcome {
    case .interrupted, .devBatch: return
    case .completed, .reachedMaxSteps, .earlyStopped: try runFolder.markDone()
    }
    let losses = trainer.state.epochLosses
    print("run        \(runFolder.url.path)")
    print("checkpoints \(runFolder.checkpoints.path)")
    // <runs>/pretrain/<network>/<id>: TensorBoard reads every run under <runs> (a run folder elsewhere: itself).
    let networkFolder = runFolder.url.deletingLastPathComponent()
    let runs =
      networkFolder.deletingLastPathComponent().lastPathComponent == "pretrain"
      ? networkFolder.deletingLastPathComponent().deletingLastPathComponent() : runFolder.url
    print("metrics    \(runFolder.metrics.path) (tensorboard --logdir \(runs.path))")
    if let first = console.firstLoss, let last = console.lastLoss {
      print(
        String(
          format: "summary: loss %.4f → %.4f over %d steps%@%@", first, last, trainer.state.step - startStep,
          startStep > 0 ? " (resumed at step \(startStep), now at \(trainer.state.step))" : "",
          losses.isEmpty
            ? ""
            : String(format: "; epoch averages %@", losses.map { String(format: "%.4f", $0) }.joined(separator: ", "))))
    }
  }
}
