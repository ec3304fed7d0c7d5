import ECGCore
import ECGData
import ECGModels
import Foundation
import Torch

/// The reference's `reconstruction` task (evaluation.md §3) for DiT, batched: every test window noised at
/// t = 0.1, 0.3, 0.5, 0.7, 0.9 (one draw per t) and reconstructed in one step; MSE, MAE, PSNR and SSIM per lead,
/// averaged over the windows, and their mean over leads ("global"). A lead a window lacks (its batch's
/// `leadMasks`: the record had no such lead and the store holds zeros) is left out of that lead's average; a lead
/// no window has is left out of the results and of "global".
public struct ReconstructionEvaluation {
  /// The reference's noise levels.
  public static let noiseLevels = [0.1, 0.3, 0.5, 0.7, 0.9]

  public let network: DiT
  /// Sampling rate of the windows (sets the SSIM window, `--sf`).
  public var samplingRate: Int
  public var noiseLevels = ReconstructionEvaluation.noiseLevels
  /// Classifier-free guidance scale (E10).
  public var cfgScale = 1.0
  /// The conditioning lead of a lead-conditioned network: its seven generated leads are reported by name (E5).
  public var conditionLead: Int?
  public var device: Device = .cpu
  /// Figures of the first samples: ground truth, noised and reconstructed at each t.
  public var figures: FigureOptions?

  public init(network: DiT, samplingRate: Int) {
    self.network = network
    self.samplingRate = samplingRate
  }

  /// Evaluates `batches` (samples numbered from 0 in order) with per-sample noise of `seed`.
  /// - Returns: `<m>/t=<t>/global` and `<m>/t=<t>/<lead>` for m in mse, mae, psnr, ssim, in the reference's
  ///   order (leads no window has left out), the figures written, and which windows held which lead.
  public func run(_ batches: some Sequence<Batch<SignalBatch>>, seed: UInt64) throws -> (
    metrics: MetricValues, figures: [URL], coverage: LeadCoverage
  ) {
    network.eval()
    let metricNames = ["mse", "mae", "psnr", "ssim"]
    let leads = evaluatedLeadNames(conditionLead: conditionLead)
    var coverage = LeadCoverage(names: leads)
    // [t][metric][lead]: sums over the windows that hold the lead.
    var sums = [[[Double]]](
      repeating: [[Double]](repeating: [Double](repeating: 0, count: leads.count), count: metricNames.count),
      count: noiseLevels.count)
    var written: [URL] = []
    var first = 0
    for batch in batches {
      let input = batch.input.to(device)
      let size = input.batchSize
      precondition(input.signal.shape[1] == leads.count, "the signal rows are the evaluated leads")
      let present = leadPresence(batch, leads: leads)
      for item in present { coverage.add(present: item) }
      let noise = PerSampleNoise(seed: seed, indices: Array(first..<(first + size)))
      var outputs: [DiT.Reconstruction] = []
      for (k, t) in noiseLevels.enumerated() {
        let output = network.reconstruct(
          input.signal, tValue: t, condition: input.condition, cfgScale: cfgScale, draws: noise.draws())
        let metrics = ReconstructionMetrics(prediction: output.x1Pred, target: input.signal, samplingRate: samplingRate)
        for (m, values) in [metrics.mse, metrics.mae, metrics.psnr, metrics.ssim].enumerated() {
          let perWindow = values.to(dtype: .float64, device: .cpu).doubles()  // [B, C] row-major
          for item in 0..<size {
            for lead in leads.indices where present[item][lead] {
              sums[k][m][lead] += perWindow[item * leads.count + lead]
            }
          }
        }
        outputs.append(output)
      }
      if let figures {
        for i in 0..<size where first + i < figures.count {
          written += try draw(outputs, batch: batch, item: i, step: first + i, figures)
        }
      }
      first += size
    }
    var result = MetricValues()
    let scored = leads.indices.filter { coverage.windowsWithLead[$0] > 0 }
    guard !scored.isEmpty else { return (result, written, coverage) }
    for (k, t) in noiseLevels.enumerated() {
      for (m, name) in metricNames.enumerated() {
        let averages = scored.map { sums[k][m][$0] / Double(coverage.windowsWithLead[$0]) }
        result["\(name)/t=\(pythonFloat(t))/global"] = averages.reduce(0, +) / Double(averages.count)
        for (lead, value) in zip(scored, averages) { result["\(name)/t=\(pythonFloat(t))/\(leads[lead])"] = value }
      }
    }
    return (result, written, coverage)
  }

  /// The line that says how absent leads were scored, nil when every window held every lead.
  public static func coverageNote(_ coverage: LeadCoverage) -> String? {
    guard let summary = coverage.absenceSummary else { return nil }
    let omitted = coverage.leadsAbsentEverywhere
    return "leads \(summary) (zero-filled in the store): each lead is averaged over the windows that have it"
      + (omitted.isEmpty
        ? "" : "; \(omitted.joined(separator: " ")) (in no window) left out of the results and of global")
  }

  private func draw(
    _ outputs: [DiT.Reconstruction], batch: Batch<SignalBatch>, item: Int, step: Int, _ figures: FigureOptions
  ) throws -> [URL] {
    let sheet = FigureSheet(samplingRate: figures.samplingRate)
    let names = evaluatedLeadNames(conditionLead: conditionLead)
    let truth = batch.input.signal[item]
    var files: [URL] = []
    for output in outputs {
      let file = figures.folder.appendingPathComponent("reconstruction_\(step)_\(pythonFloat(output.t)).svg")
      try sheet.write(
        [
          sheet.panel(truth, leadNames: names, title: "ground truth: \(batch.reports[item])"),
          sheet.panel(output.xt[item], leadNames: names, title: "noised, t = \(pythonFloat(output.t))"),
          sheet.panel(output.x1Pred[item], leadNames: names, title: "reconstructed"),
        ], to: file)
      files.append(file)
    }
    return files
  }
}
