import ArgumentParser
import ECGModels
import Foundation
import Torch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `ecg bench train`: time full training steps (forward, backward, AdamW step) of a network on random batches.
struct BenchTrainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Time training steps (forward + backward + AdamW) of a network on random batches and print JSON.",
    discussion: """
      Presets: base = the reference's defaults (L 2500 samples, 2048 tokens, dropout 0.1); tiny = d_model 64, \
      4 heads, feed-forward 256, 2 layers, dropout 0.1, L 500 samples / 512 tokens, batch 8. ms_per_step is the \
      median of the timed steps after the warm-up; optimizer_ms_per_step the median of as many optimizer steps \
      alone, timed afterwards on the last gradients; peak_rss_mb is the process's peak resident memory and, on \
      CUDA, peak_gpu_mb the most memory tensors held on the GPU (torch.cuda.max_memory_allocated).

      With --trainer: whole trainer steps of `ecg pretrain`'s network at the preset (loader + step + logging: \
      metrics.jsonl, TensorBoard, console lines) against the bare step on batches in memory, alternated \
      --repeats times on a synthetic store; prints milliseconds per step and the trainer's overhead in percent.
      """
  )

  @Option(help: "Network: \(TrainBenchModel.all.map(\.name).joined(separator: ", ")).")
  var model: String

  @Option(help: "Size preset: base or tiny.")
  var preset = "tiny"

  @Option(
    parsing: .unconditional, help: "Batch size (default: 1 for base DiT and decoder, 2 for base NEPA, 8 for tiny).")
  var batch: Int?

  @Option(parsing: .unconditional, help: "Timed steps (the median is reported).")
  var steps = 5

  @Option(parsing: .unconditional, help: "Untimed warm-up steps.")
  var warmup = 1

  @Option(help: "fp32, or bf16: the forward under libtorch's bfloat16 autocast with float32 weights (as --bfloat_16).")
  var precision = "fp32"

  @Flag(help: "Allow TF32 float32 matmuls on CUDA (set_float32_matmul_precision(\"high\"), as pretraining does).")
  var tf32 = false

  @Option(
    help: """
      AdamW implementation: single (one tensor at a time), foreach (multi-tensor ops) or fused (one kernel); \
      default: PyTorch's (foreach on CUDA, single on the CPU).
      """)
  var optimizerImpl: String?

  @Flag(help: "Time whole trainer steps (loader + step + logging) against the bare step; CPU only.")
  var trainer = false

  @Option(
    parsing: .unconditional,
    help: "With --trainer: alternating repetitions of (bare, trainer in memory, trainer with the loader).")
  var repeats = 3

  @Option(parsing: .unconditional, help: "With --trainer: batch-loader worker threads.")
  var loaderWorkers = 1

  @Option(help: "With --trainer and the decoder: the ECG-Byte tokenizer file.")
  var bpeTokenizerPath: String?

  @OptionGroup var device: DeviceOption

  @OptionGroup var threads: ThreadsOption

  @Flag(
    help: """
      Keep freed memory in the process (glibc: no mmap, no trimming), so the step's large temporaries are not \
      faulted in again every step; costs some resident memory.
      """)
  var retainFreedMemory = false

  @Option(
    parsing: .unconditional,
    help: "Start this many data-parallel workers on this machine (Gloo, loopback) and report their throughput.")
  var world = 1

  @Flag(help: "Run as one data-parallel worker under torchrun's variables (what --world starts).")
  var distributed = false

  func validate() throws {
    guard TrainBenchModel.named(model) != nil else {
      throw ValidationError(
        "unknown model '\(model)'; use one of \(TrainBenchModel.all.map(\.name).joined(separator: ", "))")
    }
    guard TrainBenchPreset(rawValue: preset) != nil else {
      throw ValidationError("unknown preset '\(preset)'; use base or tiny")
    }
    if let optimizerImpl, Adam.Implementation(rawValue: optimizerImpl) == nil {
      throw ValidationError("unknown --optimizer-impl '\(optimizerImpl)'; use single, foreach or fused")
    }
    guard world >= 1 else { throw ValidationError("--world must be at least 1") }
    guard ["fp32", "bf16"].contains(precision) else {
      throw ValidationError("unknown --precision '\(precision)'; use fp32 or bf16")
    }
    if trainer && (world > 1 || distributed || precision != "fp32" || optimizerImpl != nil) {
      throw ValidationError(
        "--trainer times one float32 process; drop --world, --distributed, --precision and --optimizer-impl")
    }
    guard steps > 0, warmup >= 0, (batch ?? 1) > 0, repeats > 0, loaderWorkers >= 0 else {
      throw ValidationError(
        "--steps, --batch and --repeats must be positive, --warmup and --loader-workers non-negative")
    }
  }

  func run() throws {
    if world > 1 && !distributed { return try launchWorkers() }
    let device = try self.device.resolved()
    // libtorch's intra-op pool is process-wide: set here, where the command runs.
    if let threads = threads.requested { try Torch.setIntraOpThreads(threads) }
    if retainFreedMemory { Self.retainFreedMemory() }
    if tf32 { Float32MatmulPrecision.high.makeCurrent() }
    let entry = TrainBenchModel.named(model)!
    let preset = TrainBenchPreset(rawValue: preset)!
    let size = batch ?? entry.defaultBatch(preset)
    if trainer {
      guard device == .cpu else { throw CommandError("--trainer runs on the CPU; drop --device \(device)") }
      let bench = TrainerStepBench(
        model: entry.name, preset: preset, batchSize: size, steps: steps, repeats: repeats, workers: loaderWorkers,
        tokenizerPath: bpeTokenizerPath)
      try printJSON(try bench.run())
      return
    }
    Torch.manualSeed(0)
    let network = try entry.makeNetwork(preset)
    network.to(device: device)
    network.train()
    let optimizer = Adam.adamW(
      network.trainableParameters(), learningRate: 1e-4, implementation: optimizerImpl.flatMap(Adam.Implementation.init)
    )
    let replicas = distributed ? try DataParallelBench(network: network, device: device) : nil
    let input = entry.makeBatch(preset, size, device)
    let draws = RandomDraws()
    var times: [Double] = []
    for step in 0..<(warmup + steps) {
      let seconds = try Stopwatch.seconds {
        optimizer.zeroGrad()
        let loss =
          precision == "bf16"
          ? withAutocast(device: device) { network.trainingLoss(input, draws: draws) }
          : network.trainingLoss(input, draws: draws)
        try replicas?.reducer.prepare(for: [loss])
        loss.backward()
        optimizer.step()
        try Device.synchronize(device)
      }
      if step >= warmup { times.append(seconds) }
    }
    times.sort()
    let optimizerTimes = try (0..<steps).map { _ in
      try Device.synchronize(device)
      return try Stopwatch.seconds {
        optimizer.step()
        try Device.synchronize(device)
      }
    }.sorted()
    // Data-parallel: a step is as slow as the slowest rank.
    let median = try replicas?.slowest(times[times.count / 2]) ?? times[times.count / 2]
    let worldSize = replicas?.group.worldSize ?? 1
    if let replicas, replicas.group.rank != 0 { return }
    var figures: [String: Any] = [
      "model": entry.name,
      "preset": preset.rawValue,
      "device": device.description,
      "threads": Torch.intraOpThreads,
      "batch": size,
      "precision": precision,
      "tf32": tf32,
      "steps": steps,
      "warmup": warmup,
      "parameters": network.parameterCount(trainableOnly: true),
      "ms_per_step": median * 1e3,
      "min_ms_per_step": times[0] * 1e3,
      "world_size": worldSize,
      "samples_per_s": Double(size * worldSize) / median,
      "peak_rss_mb": Self.peakResidentMegabytes(),
      "retain_freed_memory": retainFreedMemory,
      "optimizer_impl": optimizer.implementation.rawValue,
      "optimizer_ms_per_step": optimizerTimes[optimizerTimes.count / 2] * 1e3,
    ]
    if case .cuda = device {
      figures["peak_gpu_mb"] = Double(try AcceleratorMemory.peakAllocatedBytes(on: device)) / 1_048_576
    }
    try printJSON(figures)
  }

  /// The process's peak resident set size in MiB (`getrusage`: KiB on Linux, bytes on macOS).
  static func peakResidentMegabytes() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
      getrusage(RUSAGE_SELF, &usage)
      return Double(usage.ru_maxrss) / 1_048_576
    #else
      getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
      return Double(usage.ru_maxrss) / 1024
    #endif
  }

  /// glibc's `M_MMAP_MAX` = 0 and `M_TRIM_THRESHOLD` = INT_MAX (2 GiB): every allocation comes from the heap and
  /// freed memory stays there. `mallopt` is looked up at run time because Swift's Glibc module does not export it.
  static func retainFreedMemory() {
    #if canImport(Glibc)
      typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
      guard let symbol = dlsym(nil, "mallopt") else { return }
      let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
      // M_MMAP_MAX (-4) and M_TRIM_THRESHOLD (-1) from <malloc.h>.
      _ = mallopt(-4, 0)
      _ = mallopt(-1, Int32.max)
    #endif
  }
}
