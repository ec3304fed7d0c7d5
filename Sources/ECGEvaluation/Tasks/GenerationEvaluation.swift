import ECGCore
import ECGData
import ECGModels
import Foundation
import Torch

/// The reference's `generation` task (evaluation.md §2) for DiT (rectified flow or DDPM), batched: for every
/// test window, features of the real window and of one generated sample (conditioned on the window's lead or
/// report when the network is conditioned), then FID and MMD between the two feature sets. Leads a real window
/// lacks (its batch's `leadMasks`: zeros in the store, which normalisation turns into a constant, ≈ 0.5 for
/// min-max) are zeroed in the normalised real window and in its generated sample alike, so both feature sets see
/// the same leads.
public struct GenerationEvaluation {
  public let network: DiT
  /// Samples per generated window (the reference hard-codes 2500; here the windows' length, fixing E7).
  public var length: Int
  /// Sampling steps (nil = the network's: 50 for rectified flow, the schedule's for DDPM).
  public var sampleSteps: Int?
  /// Classifier-free guidance scale (the reference always uses 1, E10).
  public var cfgScale = 1.0
  /// The conditioning lead of a lead-conditioned network (for the 12-lead figures).
  public var conditionLead: Int?
  public var device: Device = .cpu
  /// Figures of the first samples: real and generated side by side.
  public var figures: FigureOptions?

  public init(network: DiT, length: Int) {
    self.network = network
    self.length = length
  }

  /// Evaluates `batches` (in the evaluation order; samples numbered from 0) with per-sample noise of `seed`.
  /// - Returns: `fid` and `mmd` (NaN when fewer than two windows were evaluated), the figures written, and which
  ///   windows held which lead.
  public func run(_ batches: some Sequence<Batch<SignalBatch>>, seed: UInt64) throws -> (
    metrics: MetricValues, figures: [URL], coverage: LeadCoverage
  ) {
    network.eval()
    let leads = evaluatedLeadNames(conditionLead: conditionLead)
    var coverage = LeadCoverage(names: leads)
    var real: [Tensor] = []
    var generated: [Tensor] = []
    var written: [URL] = []
    var first = 0
    for batch in batches {
      let input = batch.input.to(device)
      let size = input.batchSize
      let present = leadPresence(batch, leads: leads)
      for item in present { coverage.add(present: item) }
      let noise = PerSampleNoise(seed: seed, indices: Array(first..<(first + size)))
      let sample = try network.sample(
        batchSize: size, length: length, numSteps: sampleSteps, condition: input.condition, cfgScale: cfgScale,
        device: device, draws: noise.draws())  // [B, C, L]
      var (comparedReal, comparedSample) = (input.signal, sample)
      if batch.leadMasks != nil {
        // After normalisation: the store's zeros are a constant by then, which a zeroed sample would not match.
        let mask = Tensor(present.flatMap { $0.map { $0 ? Float(1) : 0 } }, shape: [size, leads.count, 1])
          .to(device: device)
        (comparedReal, comparedSample) = (input.signal * mask, sample * mask)
      }
      withNoGrad {
        real.append(network.features(comparedReal).to(device: .cpu))
        generated.append(network.features(comparedSample).to(device: .cpu))
      }
      if let figures {
        for i in 0..<size where first + i < figures.count {
          written.append(try draw(sample[i], batch: batch, item: i, step: first + i, figures))
        }
      }
      first += size
    }
    var metrics = MetricValues()
    let r = Tensor.cat(real, dim: 0)
    let g = Tensor.cat(generated, dim: 0)
    let enough = r.size(0) >= 2
    metrics["fid"] = enough ? frechetDistance(real: r, generated: g) : .nan
    metrics["mmd"] = enough ? maximumMeanDiscrepancy(real: r, generated: g) : .nan
    return (metrics, written, coverage)
  }

  /// The line that says how absent leads were compared, nil when every window held every lead.
  public static func coverageNote(_ coverage: LeadCoverage) -> String? {
    coverage.absenceSummary.map {
      "leads \($0) (zero-filled in the store): zeroed after normalisation in those windows and in their generated "
        + "samples alike, so FID and MMD compare the leads the data has"
    }
  }

  private func draw(
    _ sample: Tensor, batch: Batch<SignalBatch>, item: Int, step: Int, _ figures: FigureOptions
  ) throws -> URL {
    let sheet = FigureSheet(samplingRate: figures.samplingRate)
    let twelve = evaluatedLeadNames(conditionLead: nil)
    var generated = sample
    var names = evaluatedLeadNames(conditionLead: conditionLead)
    if let conditionLead, case .lead(let lead) = batch.input.condition {
      generated = stitchTwelveLeads(
        generated: sample.to(device: .cpu), condition: lead[item], conditionLead: conditionLead)
      names = twelve
    }
    let real = batch.input.groundTruth12Lead?[item] ?? batch.input.signal[item]
    let file = figures.folder.appendingPathComponent("generation_\(step).svg")
    try sheet.write(
      [
        sheet.panel(real, leadNames: real.size(0) == 12 ? twelve : names, title: "real: \(batch.reports[item])"),
        sheet.panel(generated, leadNames: names, title: "generated"),
      ], to: file)
    return file
  }
}
