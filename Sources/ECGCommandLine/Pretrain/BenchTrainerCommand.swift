import ArgumentParser
import ECGCore
import ECGData
import ECGModels
import ECGTraining
import Foundation
import Torch

/// `ecg bench trainer`: the trainer's overhead per step — loader, loop bookkeeping, metrics.jsonl and
/// TensorBoard logging — against the bare step (forward, backward, optimizer) on batches already in memory.
struct BenchTrainerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trainer",
    abstract: "Measure the trainer's overhead per step against the bare step on a small network; prints JSON.",
    discussion: """
      The network is a small denoiser (linear–GELU–linear over every lead's time axis), since the trainer's \
      cost does not depend on the network. Runs alternate (bare step on batches in memory; trainer on the same \
      batches in memory: loop and logging; trainer with the loader) --repeats times; medians are reported.
      """)

  @Option(help: "Dataset store to read (default: a temporary store of synthetic windows).")
  var store: String?

  @Option(help: "Windows per batch.")
  var batchSize = 16

  @Option(help: "Optimizer steps timed per run.")
  var steps = 40

  @Option(help: "Hidden width of the denoiser.")
  var hidden = 256

  @Option(help: "Loader workers in the trainer runs.")
  var workers = 1

  @Option(help: "Alternating repetitions of (bare, trainer).")
  var repeats = 3

  @Option(help: "libtorch intra-op threads.")
  var threads: Int?

  func validate() throws {
    guard batchSize > 0, steps > 0, hidden > 0, workers >= 0, repeats > 0 else {
      throw ValidationError("--batch-size, --steps, --hidden and --repeats must be positive, --workers ≥ 0")
    }
  }

  func run() throws {
    if let threads { Torch.intraOpThreads = threads }
    let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("ecg-bench-trainer-\(UUID())")
    defer { try? FileManager.default.removeItem(at: temporary) }
    let storeURL = store.map { URL(fileURLWithPath: $0) } ?? temporary.appendingPathComponent("store")
    if store == nil {
      try SyntheticDataset.write(count: batchSize * steps, seed: 3, to: storeURL, createdBy: "ecg bench trainer")
    }
    let source = StoreWindowSource(try DatasetStore(url: storeURL))
    let length = source.store.segmentLength
    let task = PretrainTask(
      network: .nepa, objective: .autoregressive, representation: .signal(SignalRepresentation(segmentLength: length)))
    func loader(_ workers: Int) throws -> BatchLoader {
      BatchLoader(source: try DatasetMixture([source]), task: task, batchSize: batchSize, workers: workers, seed: 1)
    }
    // The bare step's batches, built once and kept in memory.
    let inMemory = Array(LoaderBatches(try loader(0)).batches(epoch: 0, startingAt: 0).prefix(steps))
    var configuration = TrainingConfiguration()
    configuration.epochs = 1000
    configuration.maxSteps = steps
    configuration.batchSize = batchSize
    configuration.logEvery = 10

    func optimizer(for network: BenchDenoiser) -> ReferenceOptimizer {
      var settings = OptimizerConfiguration()
      settings.warmupSteps = 0
      return ReferenceOptimizer(settings, parameters: network.namedParameters())
    }
    // Each run is timed by wall clock and by the process's CPU time (user + system, every thread, loader
    // workers included): on a machine shared with other jobs the CPU time is the steadier figure.
    var cpuTimes: [String: [Double]] = [:]
    func timed(_ name: String, _ body: () throws -> Double) rethrows -> Double {
      let start = Self.processCPUSeconds()
      let wall = try body()
      cpuTimes[name, default: []].append(Self.processCPUSeconds() - start)
      return wall
    }
    func bare() -> Double {
      let network = BenchDenoiser(length: length, hidden: hidden)
      let optimizer = optimizer(for: network)
      let draws = RandomDraws()
      return Stopwatch.seconds {
        for input in inMemory {
          network.trainingLoss(input, draws: draws).backward()
          optimizer.step()
          optimizer.zeroGrad()
        }
        _ = network.inputProj.weight.sum().item()  // sync: the queued work is done
      }
    }
    func trainer(inMemory useMemory: Bool) throws -> Double {
      let network = BenchDenoiser(length: length, hidden: hidden)
      let folder = temporary.appendingPathComponent("run-\(UUID())")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let metrics = try MetricsLog(url: folder.appendingPathComponent("metrics.jsonl"))
      let events = try TensorBoardWriter(directory: folder)
      let trainer = try Trainer(
        network: network, optimizer: optimizer(for: network),
        batches: useMemory
          ? InMemoryBatches(batches: inMemory) as any TrainingBatches : LoaderBatches(try loader(workers)),
        configuration: configuration)
      return try Stopwatch.seconds {
        try trainer.run(progress: { event in
          if case .metrics(let record) = event {
            try? metrics.append(record)
            try? events.add(
              scalars: [("train/step_loss", record.loss), ("train/lr", record.learningRate)], step: record.step)
          }
        })
      }
    }
    _ = bare()  // warm-up: allocator and thread pools
    var bareTimes: [Double] = []
    var loopTimes: [Double] = []
    var trainerTimes: [Double] = []
    for _ in 0..<repeats {
      bareTimes.append(timed("bare") { bare() })
      loopTimes.append(try timed("loop") { try trainer(inMemory: true) })
      trainerTimes.append(try timed("trainer") { try trainer(inMemory: false) })
    }
    let cpu = cpuTimes.mapValues { $0.sorted()[repeats / 2] / Double(steps) * 1000 }
    func perStep(_ times: [Double]) -> Double { times.sorted()[repeats / 2] / Double(steps) }
    let bareStep = perStep(bareTimes)
    let loopStep = perStep(loopTimes)
    let trainerStep = perStep(trainerTimes)
    try printJSON([
      "batch_size": batchSize, "steps": steps, "segment_length": length, "hidden": hidden, "workers": workers,
      "repeats": repeats, "threads": Torch.intraOpThreads,
      "bare_ms_per_step": bareStep * 1000, "trainer_ms_per_step": trainerStep * 1000,
      "trainer_in_memory_ms_per_step": loopStep * 1000,
      "overhead_percent": (trainerStep / bareStep - 1) * 100,
      "loop_and_logging_overhead_percent": (loopStep / bareStep - 1) * 100,
      "cpu_ms_per_step": cpu,
      "cpu_overhead_percent": [
        "loop_and_logging": (cpu["loop"]! / cpu["bare"]! - 1) * 100,
        "with_loader": (cpu["trainer"]! / cpu["bare"]! - 1) * 100,
      ],
      "bare_runs_s": bareTimes, "trainer_runs_s": trainerTimes, "trainer_in_memory_runs_s": loopTimes,
    ])
  }
}

extension BenchTrainerCommand {
  /// User + system CPU seconds of the whole process so far.
  static func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }
}

/// Batches already in memory: the trainer's loop and logging without the loader.
private struct InMemoryBatches: TrainingBatches {
  let batches: [ModelInput]
  var batchesPerEpoch: Int { batches.count }
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> { AnySequence(batches[start...]) }
}

/// The bench's network: noise added from the draws, linear–GELU–linear along time, MSE to the clean signal.
private final class BenchDenoiser: Module, Pretrainable {
  @Child("input_proj") var inputProj: Linear
  @Child("output_proj") var outputProj: Linear

  init(length: Int, hidden: Int) {
    super.init()
    inputProj = Linear(length, hidden)
    outputProj = Linear(hidden, length)
  }

  var module: Module { self }

  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("signal batches only") }
    let noisy = batch.signal + draws.randn(like: batch.signal) * 0.1
    return Functional.mseLoss(outputProj(inputProj(noisy).gelu()), batch.signal)
  }
}
