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
/// ends, not per step). Medians of wall time and of the process's CPU time are reported.
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
    func bare() throws -> Double {
      let (network, optimizer) = try makeTrainee()
      network.module.train()
      let draws = RandomDraws()
      return Stopwatch.seconds {
        for input in inMemory {
          network.trainingLoss(input, draws: draws).backward()
          optimizer.step()
          optimizer.zeroGrad()
        }
      }
    }
    func trainer(batches: any TrainingBatches) throws -> Double {
      let (network, optimizer) = try makeTrainee()
      let folder = temporary.appendingPathComponent("run-\(UUID())")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      let console = TrainingConsole(
        metrics: try MetricsLog(url: folder.appendingPathComponent("metrics.jsonl")),
        tensorBoard: try TensorBoardWriter(directory: folder), plain: true,
        emit: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
      let trainer = try Trainer(network: network, optimizer: optimizer, batches: batches, configuration: configuration)
      return try Stopwatch.seconds { try trainer.run(progress: console.handle) }
    }

    var wall: [String: [Double]] = [:]
    var cpu: [String: [Double]] = [:]
    func time(_ name: String, _ body: () throws -> Double) rethrows {
      let start = Stopwatch.processCPUSeconds()
      wall[name, default: []].append(try body())
      cpu[name, default: []].append(Stopwatch.processCPUSeconds() - start)
    }
    _ = try bare()  // warm-up: allocator and thread pools
    for _ in 0..<repeats {
      try time("bare") { try bare() }
      try time("trainer_in_memory") { try trainer(batches: InMemoryBatches(batches: inMemory)) }
      try time("trainer") { try trainer(batches: LoaderBatches(try settings.makeLoader())) }
    }
    func perStep(_ runs: [Double]) -> Double { runs.sorted()[runs.count / 2] / Double(steps) * 1000 }
    let wallMs = wall.mapValues(perStep)
    let cpuMs = cpu.mapValues(perStep)
    func overhead(_ times: [String: Double], _ name: String) -> Double { (times[name]! / times["bare"]! - 1) * 100 }
    return [
      "mode": "trainer", "model": model, "preset": preset.rawValue, "batch": batchSize, "steps": steps,
      "repeats": repeats, "workers": workers, "threads": Torch.intraOpThreads,
      "ms_per_step": wallMs, "cpu_ms_per_step": cpuMs,
      "overhead_percent": [
        "loop_and_logging": overhead(wallMs, "trainer_in_memory"), "with_loader": overhead(wallMs, "trainer"),
      ],
      "cpu_overhead_percent": [
        "loop_and_logging": overhead(cpuMs, "trainer_in_memory"), "with_loader": overhead(cpuMs, "trainer"),
      ],
      "runs_s": wall,
    ]
  }
}

/// Batches already in memory: the trainer's loop and logging without the loader.
private struct InMemoryBatches: TrainingBatches {
  let batches: [ModelInput]
  var batchesPerEpoch: Int { batches.count }
  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> { AnySequence(batches[start...]) }
}
