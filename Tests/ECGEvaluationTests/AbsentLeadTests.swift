import ECGCore
import ECGData
import ECGModels
import Foundation
import Testing
import Torch

@testable import ECGEvaluation

/// A lead a window lacks (zeros in the store, `lead_mask` false) is not scored as if it were a real lead.
@Suite struct AbsentLeadTests {
  /// A small DiT at default initialisation (any weights do: every comparison is within one network).
  static func network() throws -> DiT {
    var config = DiTConfig()
    (config.dModel, config.nHeads, config.dimFF, config.numLayers, config.maxSeqLen) = (16, 2, 32, 1, 64)
    return try DiT(config)
  }

  /// Three windows of 12 leads × 64 samples, the same in every test.
  static func batch(_ masks: [[Bool]]?) -> Batch<SignalBatch> {
    let values = (0..<(3 * 12 * 64)).map { Float(0.5 * sin(Double($0) * 0.37)) }
    return Batch(
      input: SignalBatch(signal: Tensor(values, shape: [3, 12, 64])), ids: ["a", "b", "c"], reports: ["", "", ""],
      leadMasks: masks)
  }

  /// Every lead of every window present, except `absent` (window, lead index) pairs.
  static func masks(absent: [(Int, Int)]) -> [[Bool]] {
    var masks = [[Bool]](repeating: [Bool](repeating: true, count: 12), count: 3)
    for (window, lead) in absent { masks[window][lead] = false }
    return masks
  }

  static func reconstruct(_ network: DiT, _ masks: [[Bool]]?) throws -> (metrics: MetricValues, coverage: LeadCoverage)
  {
    let (metrics, _, coverage) = try ReconstructionEvaluation(network: network, samplingRate: 250).run(
      [batch(masks)], seed: 0)
    return (metrics, coverage)
  }

  /// The reconstruction's per-lead averages took the zero-filled leads as real signal.
  @Test func aLeadAbsentInSomeWindowsIsAveragedOverTheOthers() throws {
    let dit = try Self.network()
    let all = try Self.reconstruct(dit, nil)
    let without = try Self.reconstruct(dit, Self.masks(absent: [(0, 2)]))  // III absent in window 0
    let alone = try Self.reconstruct(dit, Self.masks(absent: [(1, 2), (2, 2)]))  // III only in window 0
    #expect(without.coverage.windowsWithLead[2] == 2 && without.coverage.windows == 3)
    for metric in ["mse", "mae", "psnr", "ssim"] {
      for t in ["0.1", "0.5", "0.9"] {
        let key = "\(metric)/t=\(t)/III"
        let total = try #require(all.metrics[key]) * 3
        let parts = try #require(without.metrics[key]) * 2 + (try #require(alone.metrics[key]))
        #expect(abs(total - parts) <= 1e-9 * max(1, abs(total)), "\(key): \(total) vs \(parts)")
        #expect(without.metrics["\(metric)/t=\(t)/I"] == all.metrics["\(metric)/t=\(t)/I"])
      }
    }
    #expect(without.metrics.names == all.metrics.names)
    #expect(
      ReconstructionEvaluation.coverageNote(without.coverage)
        == "leads III absent in 1 of 3 windows (zero-filled in the store): each lead is averaged over the windows "
        + "that have it")
    #expect(ReconstructionEvaluation.coverageNote(all.coverage) == nil)
  }

  @Test func aLeadAbsentEverywhereIsLeftOutOfTheResultsAndOfGlobal() throws {
    let limbLeads = [2, 3, 4, 5]  // III, aVR, aVL, aVF: what an 8-lead record lacks
    let result = try Self.reconstruct(
      try Self.network(), Self.masks(absent: (0..<3).flatMap { w in limbLeads.map { (w, $0) } }))
    #expect(result.metrics.names.count == 5 * 4 * 9, "global and eight leads per metric and noise level")
    #expect(result.metrics["mse/t=0.5/aVR"] == nil && result.metrics["mse/t=0.5/V1"] != nil)
    let kept = ["I", "II", "V1", "V2", "V3", "V4", "V5", "V6"]
    let mean = try kept.map { try #require(result.metrics["ssim/t=0.5/\($0)"]) }.reduce(0, +) / 8
    #expect(abs(try #require(result.metrics["ssim/t=0.5/global"]) - mean) < 1e-12)
    #expect(
      ReconstructionEvaluation.coverageNote(result.coverage)
        == "leads III aVR aVL aVF absent in 3 of 3 windows (zero-filled in the store): each lead is averaged over "
        + "the windows that have it; III aVR aVL aVF (in no window) left out of the results and of global")
  }

  /// Generation compared the data's zero leads with generated ones.
  @Test func generationZeroesTheAbsentLeadsOfTheGeneratedSamples() throws {
    var evaluation = GenerationEvaluation(network: try Self.network(), length: 64)
    evaluation.sampleSteps = 1
    let all = try evaluation.run([Self.batch(nil)], seed: 0)
    let present = try evaluation.run([Self.batch(Self.masks(absent: []))], seed: 0)
    let absent = try evaluation.run([Self.batch(Self.masks(absent: [(0, 3), (1, 3), (2, 3), (1, 7)]))], seed: 0)
    #expect(present.metrics == all.metrics, "a mask that marks every lead present changes nothing")
    #expect(all.metrics["mmd"]?.isFinite == true)
    #expect(absent.metrics["fid"] != all.metrics["fid"] && absent.metrics["mmd"] != all.metrics["mmd"])
    #expect(
      GenerationEvaluation.coverageNote(absent.coverage)
        == "leads aVR absent in 3 of 3 windows; V2 absent in 1 of 3 windows (zero-filled in the store): zeroed after "
        + "normalisation in those windows and in their generated samples alike, so FID and MMD compare the leads the "
        + "data has")
  }

  /// The real window's absent lead kept its normalised value (the store's zeros become ≈ 0.5 under min-max) while
  /// the generated one was zeroed, so FID and MMD counted the constant against the network.
  @Test func generationZeroesTheAbsentLeadsOfTheRealWindowsAfterNormalisation() throws {
    var evaluation = GenerationEvaluation(network: try Self.network(), length: 64)
    evaluation.sampleSteps = 1
    let masks = Self.masks(absent: [(0, 3), (1, 3), (2, 3), (1, 7)])
    /// The batch with the absent leads' rows set to `value` (what normalisation made of the store's zeros).
    func batch(absentLeadsAt value: Float) -> Batch<SignalBatch> {
      var values = Self.batch(nil).input.signal.contiguous().floats()
      for (window, lead) in [(0, 3), (1, 3), (2, 3), (1, 7)] {
        for t in 0..<64 { values[(window * 12 + lead) * 64 + t] = value }
      }
      return Batch(
        input: SignalBatch(signal: Tensor(values, shape: [3, 12, 64])), ids: ["a", "b", "c"], reports: ["", "", ""],
        leadMasks: masks)
    }
    let normalised = try evaluation.run([batch(absentLeadsAt: 0.5)], seed: 0)
    let zeros = try evaluation.run([batch(absentLeadsAt: 0)], seed: 0)
    let other = try evaluation.run([batch(absentLeadsAt: 0.44)], seed: 0)
    #expect(normalised.metrics["fid"]?.isFinite == true && normalised.metrics["mmd"]?.isFinite == true)
    #expect(normalised.metrics == zeros.metrics, "an absent lead is 0 on both sides, whatever normalisation made it")
    #expect(other.metrics == zeros.metrics)
  }
}
