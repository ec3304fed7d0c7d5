import ECGCore
import ECGData
import ECGModels
import Foundation
import Torch

/// The reference's `reconstruction` task (evaluation.md §3) for DiT, batched: every test window noised at
/// t = 0.1, 0.3, 0.5, 0.7, 0.9 (one draw per t) and reconstructed in one step; MSE, MAE, PSNR and SSIM per lead,
/// averaged over the windows, and their mean over leads ("global").
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
  ///   order, and the figures written.
  public func run(_ batches: some Sequence<Batch<SignalBatch>>, seed: UInt64) throws -> (MetricValues, [URL]) {
    network.eval()
    let metricNames = ["mse", "mae", "psnr", "ssim"]
    var sums = [[[Double]]](repeating: [], count: noiseLevels.count)  // [t][metric][lead]
    var count = 0
    var written: [URL] = []
    var first = 0
    for batch in batches {
      let input = batch.input.to(device)
      let size = input.batchSize
      let noise = PerSampleNoise(seed: seed, indices: Array(first..<(first + size)))
      var outputs: [DiT.Reconstruction] = []
      for (k, t) in noiseLevels.enumerated() {
        let output = network.reconstruct(
          input.signal, tValue: t, condition: input.condition, cfgScale: cfgScale, draws: noise.draws())
        let metrics = ReconstructionMetrics(prediction: output.x1Pred, target: input.signal, samplingRate: samplingRate)
        let perLead = [metrics.mse, metrics.mae, metrics.psnr, metrics.ssim].map {
          $0.to(dtype: .float64, device: .cpu).sum(dim: 0).doubles()
        }
        sums[k] = sums[k].isEmpty ? perLead : zip(sums[k], perLead).map { zip($0, $1).map { $0 + $1 } }
        outputs.append(output)
      }
      count += size
      if let figures {
        for i in 0..<size where first + i < figures.count {
          written += try draw(outputs, batch: batch, item: i, step: first + i, figures)
        }
      }
      first += size
    }
    var result = MetricValues()
    guard count > 0 else { return (result, written) }
    let leads = evaluatedLeadNames(conditionLead: conditionLead)
    for (k, t) in noiseLevels.enumerated() {
      for (m, name) in metricNames.enumerated() {
        let averages = sums[k][m].map { $0 / Double(count) }
        result["\(name)/t=\(pythonFloat(t))/global"] = averages.reduce(0, +) / Double(averages.count)
        for (lead, value) in zip(leads, averages) { result["\(name)/t=\(pythonFloat(t))/\(lead)"] = value }
      }
    }
    return (result, written)
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
