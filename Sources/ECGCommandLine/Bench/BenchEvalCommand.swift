import ArgumentParser
import ECGCore
import ECGData
import ECGEvaluation
import ECGModels
import Foundation
import Torch

/// `ecg bench eval`: windows per second of the evaluation tasks (DiT generation and reconstruction, feature
/// extraction) at several evaluation batch sizes, as JSON.
struct BenchEvalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "eval",
    abstract: "Measure ecg eval's generation, reconstruction and feature extraction (windows/s) per batch size.",
    discussion: """
      Runs the tasks' own code (GenerationEvaluation, ReconstructionEvaluation, DiT.features) on --windows random \
      windows with a freshly initialised DiT (the numbers do not depend on the weights), once per --batch-sizes \
      entry, after one untimed warm-up batch. Batch size 1 is the reference's evaluation loop. Generation counts \
      one sample of --sample-steps Euler steps plus two feature passes per window; reconstruction five noise \
      levels and the four metrics.
      """)

  @Option(help: "DiT size preset: tiny (width 64, 2 layers) or base (the reference's: width 512, 12 layers).")
  var preset = "base"

  @Option(name: .customLong("segment-len"), parsing: .unconditional, help: "Samples per window.")
  var segmentLen = 2500

  @Option(name: .customLong("batch-sizes"), parsing: .upToNextOption, help: "Evaluation batch sizes to time.")
  var batchSizes: [Int] = [1, 8, 32]

  @Option(parsing: .unconditional, help: "Windows evaluated per measurement.")
  var windows = 32

  @Option(
    name: .customLong("sample-steps"), parsing: .unconditional,
    help: "Rectified-flow sampling steps (the reference's 50).")
  var sampleSteps = 50

  @Option(parsing: .upToNextOption, help: "Tasks to time: generation, reconstruction, features.")
  var tasks: [String] = ["generation", "reconstruction", "features"]

  @OptionGroup var threads: ThreadsOption
  @OptionGroup var device: DeviceOption

  func validate() throws {
    guard ModelSize.preset(preset) != nil else {
      throw ValidationError("unknown --preset '\(preset)'; use tiny, small or base")
    }
    guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 >= 1 }), windows >= 2, sampleSteps >= 1, segmentLen >= 1
    else {
      throw ValidationError(
        "--batch-sizes must be at least 1, --windows at least 2 (FID), --sample-steps and --segment-len 1 or more")
    }
    for task in tasks where !["generation", "reconstruction", "features"].contains(task) {
      throw ValidationError("unknown task '\(task)'; use generation, reconstruction or features")
    }
  }

  func run() throws {
    if let threads = threads.requested { try Torch.setIntraOpThreads(threads) }
    let target = try device.resolved()
    let size = ModelSize.preset(preset)!
    var config = DiTConfig()
    if let value = size.dModel { config.dModel = value }
    if let value = size.numLayers { config.numLayers = value }
    if let value = size.nHeads { config.nHeads = value }
    if let value = size.dimFF { config.dimFF = value }
    config.maxSeqLen = max(config.maxSeqLen, segmentLen)
    config.numSteps = sampleSteps
    Torch.manualSeed(0)
    let dit = try DiT(config)
    dit.to(device: target)
    dit.eval()
    let signals = Tensor.rand([windows, 12, segmentLen])

    func batches(_ size: Int, count: Int) -> [Batch<SignalBatch>] {
      stride(from: 0, to: count, by: size).map { start in
        let length = min(size, count - start)
        let ids = (start..<(start + length)).map { "window \($0)" }
        return Batch(
          input: SignalBatch(signal: signals.narrow(dim: 0, start: start, length: length)), ids: ids,
          reports: ids.map { _ in "" })
      }
    }

    var rows: [[String: Any]] = []
    for batchSize in batchSizes {
      var row: [String: Any] = ["batch_size": batchSize]
      let warmup = batches(batchSize, count: min(max(batchSize, 2), windows))
      if tasks.contains("generation") {
        var generation = GenerationEvaluation(network: dit, length: segmentLen)
        generation.device = target
        _ = try generation.run(warmup, seed: 0)
        let seconds = try Stopwatch.seconds {
          _ = try generation.run(batches(batchSize, count: windows), seed: 0)
          try Device.synchronize(target)
        }
        row["generation_windows_per_s"] = Double(windows) / seconds
      }
      if tasks.contains("reconstruction") {
        var reconstruction = ReconstructionEvaluation(network: dit, samplingRate: 250)
        reconstruction.device = target
        _ = try reconstruction.run(warmup, seed: 0)
        let seconds = try Stopwatch.seconds {
          _ = try reconstruction.run(batches(batchSize, count: windows), seed: 0)
          try Device.synchronize(target)
        }
        row["reconstruction_windows_per_s"] = Double(windows) / seconds
      }
      if tasks.contains("features") {
        let work = batches(batchSize, count: windows)
        withNoGrad { _ = dit.features(work[0].input.signal.to(device: target)) }
        let seconds = try Stopwatch.seconds {
          withNoGrad {
            for batch in work { _ = dit.features(batch.input.signal.to(device: target)).to(device: .cpu) }
          }
          try Device.synchronize(target)
        }
        row["features_windows_per_s"] = Double(windows) / seconds
      }
      printError("batch \(batchSize): \(row)")
      rows.append(row)
    }
    try printJSON([
      "network": "trans_continuous_dit (rectified_flow)",
      "preset": preset,
      "d_model": config.dModel,
      "num_layers": config.numLayers,
      "segment_len": segmentLen,
      "sample_steps": sampleSteps,
      "windows": windows,
      "device": target.description,
      "threads": Torch.intraOpThreads,
      "results": rows,
    ])
  }
}
