import ECGCore
import ECGData
import ECGEvaluation
import ECGModels
import Foundation
import Torch

/// `generation` and `reconstruction` (evaluation.md §2–3): DiT checkpoints over the seeds.
enum SignalTaskRunner {
  static func generation(_ context: EvalContext) throws -> EvaluationOutcome {
    if context.settings.objective == "ddpm", let steps = context.options.sampleSteps {
      throw CommandError(
        "--sample_steps \(steps): a DDPM network samples with its schedule's steps; drop --sample_steps "
          + "(it sets the Euler steps of rectified flow)")
    }
    return try run(context, task: .generation) { dit, batches, seed, figures in
      var evaluation = GenerationEvaluation(network: dit, length: context.settings.segmentLen)
      evaluation.sampleSteps = context.options.sampleSteps
      evaluation.cfgScale = context.settings.cfgScale
      evaluation.conditionLead = context.settings.condition == "lead" ? context.settings.conditionLead : nil
      evaluation.device = context.device
      evaluation.figures = figures
      let (metrics, files, coverage) = try evaluation.run(batches, seed: seed)
      context.log(
        "Generation metrics — FID: \(String(format: "%.4f", metrics["fid"]!)) | "
          + "MMD: \(String(format: "%.6f", metrics["mmd"]!))")
      return (metrics, files, GenerationEvaluation.coverageNote(coverage))
    }
  }

  static func reconstruction(_ context: EvalContext) throws -> EvaluationOutcome {
    try run(context, task: .reconstruction) { dit, batches, seed, figures in
      var evaluation = ReconstructionEvaluation(network: dit, samplingRate: context.settings.sf)
      evaluation.cfgScale = context.settings.cfgScale
      evaluation.conditionLead = context.settings.condition == "lead" ? context.settings.conditionLead : nil
      evaluation.device = context.device
      evaluation.figures = figures
      let (metrics, files, coverage) = try evaluation.run(batches, seed: seed)
      for t in evaluation.noiseLevels {
        let key = { (name: String) in metrics["\(name)/t=\(pythonFloat(t))/global"] ?? .nan }
        context.log(
          "t=\(pythonFloat(t)) — MSE: \(String(format: "%.6f", key("mse"))) | MAE: \(String(format: "%.6f", key("mae")))"
            + " | PSNR: \(String(format: "%.2f", key("psnr"))) dB | SSIM: \(String(format: "%.4f", key("ssim")))")
      }
      return (metrics, files, ReconstructionEvaluation.coverageNote(coverage))
    }
  }

  private static func run(
    _ context: EvalContext, task: EvalTaskKind,
    _ body: (DiT, EvalBatches<Batch<SignalBatch>>, UInt64, FigureOptions?) throws -> (MetricValues, [URL], String?)
  ) throws -> EvaluationOutcome {
    guard context.settings.neuralNetwork == .dit else {
      throw CommandError(
        "--task \(task.rawValue) evaluates trans_continuous_dit checkpoints (rectified_flow or ddpm); this one is "
          + "\(context.settings.neuralNetwork.rawValue)")
    }
    // The reference rebuilds the network for every seed; the weights are the same, and the noise comes from
    // per-sample streams, so one load serves every seed.
    guard let dit = (try context.loadNetwork() as? Trainee<DiT>)?.network else {
      preconditionFailure("a trans_continuous_dit run builds a DiT")
    }
    var perSeed: [MetricValues] = []
    var figures: [URL] = []
    var notes: [String] = []
    let windowsOf = try context.windowsPerSeed()
    for (index, seed) in context.seeds.enumerated() {
      context.log("Inferencing \(seed)")
      let windows = try windowsOf(seed)
      guard !windows.order.isEmpty else { throw CommandError("no windows to evaluate in \(context.dataNames)") }
      let batches = try context.signalBatches(windows)
      let (metrics, files, note) = try body(dit, batches, seed, context.figures(seedIndex: index, task: task))
      try batches.check()
      perSeed.append(metrics)
      figures += files
      // The test split is the same for every seed, so are its notes; the reference's split differs per seed.
      for note in windows.notes + [note].compactMap({ $0 }) where !notes.contains(note) { notes.append(note) }
    }
    return EvaluationOutcome(
      task: task.rawValue, seeds: context.seeds, perSeed: perSeed, figures: figures, notes: notes)
  }
}
