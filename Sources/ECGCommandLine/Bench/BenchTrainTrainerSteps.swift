import ECGCore
import ECGData
import ECGModels
import ECGText
import ECGTraining
import Foundation
import Torch

/// `ecg bench train --trainer`: whole trainer steps of a real network (`ecg pretrain`'s, at the preset) against
/// its bare step, so the cost outside the model shows.
///
/// Three kinds of run alternate `repeats` times, each a fresh network (seed 0) for `steps` optimizer steps on a
/// synthetic store: bare (forward, backward, the reference optimizer's step on batches already in memory);
/// the trainer on the same batches in memory (its loop, metrics.jsonl, TensorBoard and console lines); and the
/// trainer as `ecg pretrain` runs it, with the batch loader. Checkpoints are not written (they come at epoch
/// ends, not per step).
///
/// A run's steady-state step time is the time from the end of its first step to the end of its last, divided by
/// the steps in between: what every further step costs, logging intervals included, without the one-off start
/// (lazy allocations, the loader filling its queue; reported apart as `first_step_ms`). The overhead is the
/// median over the repeats of each trainer run against the bare run just before it, so a machine whose speed
/// drifts between repeats does not show up as overhead.
struct TrainerStepBench {
  let model: String
  let preset: TrainBenchPreset
  let batchSize: Int
  let steps: Int
  let repeats: Int
  let workers: Int
  let tokenizerPath: String?

  /// `ecg pretrain` flags giving the network of `ecg bench train --model` at the preset.
  func pretrainFlags() throws -> [String] {
    let length = TrainBenchModel.signalLength(preset)
    var flags = ["--preset", preset.rawValue, "--segment_len", "\(length)", "--batch_size", "\(batchSize)"]
    switch model {
    case "dit_rf": flags += ["--neural_network", "trans_continuous_dit", "--objective", "rectified_flow"]
    case "dit_ddpm": flags += ["--neural_network", "trans_continuous_dit", "--objective", "ddpm"]
    case "nepa": flags += ["--neural_network", "trans_continuous_nepa"]
    case "decoder":
      guard let tokenizerPath else {
        throw CommandError(
          "--trainer with the decoder needs an ECG-Byte tokenizer: pass --bpe-tokenizer-path FILE "
            + "(e.g. ../shared/reference/tokenizer/s0010_re.ecg_byte_10000.json)")
      }
      flags += [
        "--neural_network", "trans_discrete_decoder", "--bpe_tokenizer_path", tokenizerPath, "--bpe_symbolic_len",
        "\(TrainBenchModel.tokenCount(preset))",
      ]
    case "mae_vit": flags += ["--neural_network", "mae_vit", "--patch_dim", "\(length)"]
    case "merl": flags += ["--neural_network", "merl", "--text_feature_extractor", TextModelFolder.defaultURL.path]
    default: flags += ["--neural_network", model]
    }
    return flags
  }

  func run() throws -> [String: Any] {
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-bench-trainer-\(UUID())")
    defer { try? FileManager.default.removeItem(at: temporary) }
    let store = temporary.appendingPathComponent("store")
    // One window more than the steps need, so the loader's epoch never ends inside a run.
    _ = try SyntheticDataset.write(
      count: batchSize * steps + 1, seed: 3, to: store, createdBy: "ecg bench train --trainer")
    var arguments = ["--data", store.path, "--device", "cpu", "--num_workers", "\(workers)"]
    arguments += try pretrainFlags()
    let settings = try PretrainCommand.parse(arguments).resolvedSettings()
    var configuration = settings.training
    configuration.epochs = 1
    configuration.maxSteps = steps
    configuration.logEvery = 10

    // The bare step's batches, built once by the same pipeline and kept in memory.
    let inMemory = Array(LoaderBatches(try settings.makeLoader()).batches(epoch: 0, startingAt: 0).prefix(steps))
    func makeTrainee() throws -> (any Pretrainable, ReferenceOptimizer) {
      Torch.manualSeed(0)
      let network = try PretrainNetworks.make(settings)
      let optimizer = ReferenceOptimizer(
        settings.optimizerConfiguration(batchesPerEpoch: steps), parameters: network.module.namedParameters())
      return (network, optimizer)
    }
    func bare() throws -> RunTimes {
      let (network, optimizer) = try makeTrainee()
      network.module.train()
      let draws = RandomDraws()
      var times = RunTimes()
      for input in inMemory {
        network.trainingLoss(input, draws: draws).backward()
        optimizer.step()
        optimizer.zeroGrad()
        times.stepFinished()
      }
      return times
    }
    func trainer(batches: any TrainingBatches) throws -> RunTimes {
      let (network, optimizer) = try makeTrainee()
      let folder = temporary.appendingPathComponent("run-\(UUID())")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let console = TrainingConsole(
        metrics: try MetricsLog(url: folder.appendingPathComponent("metrics.jsonl")),
        tensorBoard: try TensorBoardWriter(directory: folder), plain: true,
        emit: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
      let timed = TimedBatches(batches: batches)
      let trainer = try Trainer(
        network: network, optimizer: optimizer, batches: timed, configuration: configuration)
      var times = RunTimes()
      try trainer.run(progress: { event in
        if case .stepFinished = event { times.stepFinished() }
        times.logging += Stopwatch.seconds { console.handle(event) }
      })
      times.batchWait = timed.clock.seconds
      return times
    }

    var runs: [String: [RunTimes]] = [:]
    _ = try bare()  // warm-up: allocator and thread pools
    for _ in 0..<repeats {
      runs["bare", default: []].append(try bare())
      runs["trainer_in_memory", default: []].append(try trainer(batches: InMemoryBatches(batches: inMemory)))
      runs["trainer", default: []].append(try trainer(batches: LoaderBatches(try settings.makeLoader())))
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    func overhead(_ name: String) -> Double {
      let ratios = zip(runs[name]!, runs["bare"]!).map { $0.steadyStepSeconds / $1.steadyStepSeconds }
      return (median(ratios) - 1) * 100
    }
    return [
      "mode": "trainer", "model": model, "preset": preset.rawValue, "batch": batchSize, "steps": steps,
      "repeats": repeats, "workers": workers, "threads": Torch.intraOpThreads,
      "ms_per_step": runs.mapValues { median($0.map(\.steadyStepSeconds)) * 1000 },
      "first_step_ms": runs.mapValues { median($0.map(\.firstStepSeconds)) * 1000 },
      "overhead_percent": [
        "loop_and_logging": overhead("trainer_in_memory"), "with_loader": overhead("trainer"),
      ],
      "runs_steady_ms_per_step": runs.mapValues { $0.map { $0.steadyStepSeconds * 1000 } },
      // Measured inside the trainer's runs: the time spent waiting for the next batch and in the console, metrics
      // and TensorBoard writers, per step and as a share of the bare step (immune to the machine's drift).
      "batch_wait_ms_per_step": runs.mapValues { median($0.map(\.batchWait)) / Double(steps) * 1000 },
      "logging_ms_per_step": runs.mapValues { median($0.map(\.logging)) / Double(steps) * 1000 },
      "measured_overhead_percent": [
        "batch_wait": median(runs["trainer"]!.map(\.batchWait)) / Double(steps)
          / median(runs["bare"]!.map(\.steadyStepSeconds)) * 100,
        "logging": median(runs["trainer"]!.map(\.logging)) / Double(steps)
          / median(runs["bare"]!.map(\.steadyStepSeconds)) * 100,
      ],
    ]
  }
}

/// When each step of one run ended, from the run's start.
private struct RunTimes {
  private let start = DispatchTime.now().uptimeNanoseconds
  private(set) var stepEnds: [Double] = []
  /// Seconds the trainer waited for batches (the loader's share of the run).
  var batchWait = 0.0
  /// Seconds in the console, metrics.jsonl and TensorBoard writers.
  var logging = 0.0

  mutating func stepFinished() { stepEnds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }

  /// The first step, start-up included.
  var firstStepSeconds: Double { stepEnds.first ?? 0 }

  /// Seconds per step after the first.
  var steadyStepSeconds: Double {
    guard stepEnds.count > 1 else { return firstStepSeconds }
    return (stepEnds.last! - stepEnds[0]) / Double(stepEnds.count - 1)
  }
}

/// Another source's batches, with the time spent getting each one summed.
private final class TimedBatches: TrainingBatches {
  final class Clock { var seconds = 0.0 }
  let batches: any TrainingBatches
  let clock = Clock()
  init(batches: any TrainingBatches) { self.batches = batches }
  var batchesPerEpoch: Int { batches.batchesPerEpoch }
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> {
    let clock = clock
    let inner = batches.batches(epoch: epoch, startingAt: start)
    return AnySequence {
      let iterator = inner.makeIterator()
      return AnyIterator {
        var next: ModelInput?
        clock.seconds += Stopwatch.seconds { next = iterator.next() }
        return next
      }
    }
  }
}

/// Batches already in memory: the trainer's loop and logging without the loader.
private struct InMemoryBatches: TrainingBatches {
  let batches: [ModelInput]
  var batchesPerEpoch: Int { batches.count }
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> { AnySequence(batches[start...]) }
}
