import ECGCore
import ECGData
import ECGEvaluation
import ECGModels
import ECGTokenizer
import Foundation
import Torch

/// `forecasting` (evaluation.md §4–5): decoder checkpoints, with or without the signal head, over the seeds.
enum ForecastTaskRunner {
  static func run(_ context: EvalContext) throws -> EvaluationOutcome {
    let settings = context.settings
    guard settings.neuralNetwork == .decoder else {
      throw CommandError(
        "--task forecasting evaluates trans_discrete_decoder checkpoints (ECG-Byte tokens); this one is "
          + "\(settings.neuralNetwork.rawValue)")
    }
    guard case .symbolic(let representation) = try settings.makeLoader().task.representation else {
      throw CommandError("forecasting reads ECG-Byte tokens: the run needs --data_representation bpe_symbolic")
    }
    let network = try context.loadNetwork()
    let model: ForecastEvaluation.Model
    if let wrapper = (network as? Trainee<DecoderWithSignalHead>)?.network {
      model = .signalHead(wrapper)
    } else if let decoder = (network as? Trainee<DecoderTransformer>)?.network {
      model = .decoder(decoder)
    } else {
      preconditionFailure("a trans_discrete_decoder run builds a decoder")
    }
    // E4: a lead condition forecasts that one lead.
    let names = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
    let leads = settings.condition == "lead" ? [names[settings.conditionLead]] : names
    var evaluation = ForecastEvaluation(
      model: model, tokenizer: representation.tokenizer, sequenceLength: settings.bpeSymbolicLen,
      segmentLength: settings.segmentLen, leadNames: leads)
    evaluation.signalHeadSteps = settings.signalHeadNumSteps
    evaluation.device = context.device
    let task = ForecastingTask(ratio: settings.forecastRatio, specialTokens: representation.tokenizer.specialTokens)

    var perSeed: [MetricValues] = []
    var figures: [URL] = []
    var notes: [String] = []
    // Greedy decoding of the store's fixed test split gives every seed the same forecasts: score them once.
    let seedFree = !evaluation.model.isSignalHead && context.split == .test
    let windowsOf = try context.windowsPerSeed()
    for (index, seed) in context.seeds.enumerated() {
      context.log("Inferencing \(seed)")
      if seedFree, let first = perSeed.first {
        context.log("Forecast | same windows and greedy decoding as seed \(context.seeds[0]): scores repeated")
        perSeed.append(first)
        continue
      }
      let windows = try windowsOf(seed)
      guard !windows.order.isEmpty else { throw CommandError("no windows to evaluate in \(context.dataNames)") }
      // One window per batch: contexts and continuations differ in length.
      let batches = EvalBatches(windows, batchSize: 1) { items in
        try context.requireNetworkLength(items)
        return try task.evaluationBatch(for: items, representation: representation)
      }
      evaluation.figures = context.figures(seedIndex: index, task: .forecasting)
      let (metrics, files, coverage) = try evaluation.run(batches, seed: seed)
      try batches.check()
      let seedNotes =
        windows.notes + [coverage.note, absentLeadNote(batches.leads, forecastLeads: leads)].compactMap { $0 }
      for note in seedNotes where !notes.contains(note) { notes.append(note) }
      context.log(
        "Forecast\(evaluation.model.isSignalHead ? " (Signal Head)" : "") | "
          + metrics.names.map { "\($0)=\(String(format: "%.6g", metrics[$0]!))" }.joined(separator: " "))
      perSeed.append(metrics)
      figures += files
    }
    if seedFree && context.seeds.count > 1 {
      notes.append(
        "greedy token forecasts of the store's test split do not depend on the seed: scored once and reported for "
          + "each of the \(context.seeds.count) seeds (std 0); --split reference-files draws other windows per seed")
    }
    return EvaluationOutcome(
      task: "forecasting", seeds: context.seeds, perSeed: perSeed, figures: figures, notes: notes)
  }
}

extension ForecastTaskRunner {
  /// The line that says which of `forecastLeads` the evaluated windows lacked (`coverage`: the windows read), nil
  /// when each held them all: the ECG-Byte sequence flattens every lead, zero-filled ones included, so forecasting
  /// cannot leave them out as reconstruction and generation do.
  static func absentLeadNote(_ coverage: LeadCoverage, forecastLeads: [String]) -> String? {
    let absent = Dictionary(
      uniqueKeysWithValues: zip(coverage.names, coverage.windowsWithLead).map { ($0, coverage.windows - $1) })
    let forecast = LeadCoverage(names: forecastLeads, windows: coverage.windows, absent: absent)
    return forecast.absenceSummary.map {
      "leads \($0) (zero-filled in the store); forecasting scores the whole flattened ECG-Byte window, so those "
        + "zeros count in every score (as in the reference)"
    }
  }
}

extension ForecastEvaluation.Model {
  var isSignalHead: Bool {
    if case .signalHead = self { return true }
    return false
  }
}
