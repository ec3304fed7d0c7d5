import ECGCore
import ECGModels
import ECGTraining
import Foundation
import Torch

/// A tiny MERL (ResNet-18 layout with widths 4/8/8/16, 64 samples per lead) whose forward draws nothing: the
/// two dropout views have rate 0, so 2 ranks × B and one process with 2B see the same computation, and with
/// SyncBatchNorm and the all-gathered contrastive terms they must end with the same weights.
final class ReplayedMerl: Pretrainable {
  let network: Merl

  init() throws {
    var config = MerlConfig(segmentLength: ShardedReports.length)
    (config.resnetType, config.resnetWidths, config.inChannels) = ("resnet18", [4, 8, 8, 16], 16)
    (config.projHidden, config.projOut, config.dropout) = (16, 16, 0)
    network = try Merl(config: config, textModel: FixedReportEncoder())
    // The attention pool's key bias has an exactly zero gradient (softmax ignores a shift shared by all keys);
    // rounding leaves noise there, which Adam normalises into steps of ±lr that differ between any two runs.
    network.attPoolHead.mhsa.inProjBias?.requiresGrad = false
  }

  var module: Module { network }

  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("ReplayedMerl takes signal batches") }
    return network(batch).loss
  }
}

/// Stands in for MERL's frozen BERT: pooled = tanh(ids · table / T), a fixed function of the report's tokens.
final class FixedReportEncoder: Module, MerlTextModel {
  @Parameter("table") var table: Tensor

  override init() {
    super.init()
    table = Tensor.randn([ShardedReports.tokens, 8])
  }

  var pooledWidth: Int { 8 }

  func pooledOutput(_ text: TextCondition) -> Tensor {
    (text.inputIDs.to(.float32).matmul(table) * (1 / Double(ShardedReports.tokens))).tanh()
  }
}

/// Global batch b cut into this rank's rows: deterministic 12-lead sines and token ids per global row.
struct ShardedReports: RankShardedBatches {
  static let length = 64
  static let tokens = 6
  let batchesPerEpoch: Int
  let rowsPerRank: Int
  let rank: Int

  func batch(epoch: Int, index: Int) -> ModelInput {
    var signal: [Float] = []
    var ids: [Float] = []
    for row in rows {
      let phase = Double(epoch * 7 + index * 3 + row) * 0.37
      for lead in 0..<12 {
        for t in 0..<Self.length {
          signal.append(Float(sin(Double(t) * (0.2 + 0.05 * Double(row % 5)) + phase + Double(lead) * 0.4)))
        }
      }
      ids += (0..<Self.tokens).map { Float((row * 31 + index * 7 + $0 * 13) % 50) }
    }
    let inputIDs = Tensor(ids, shape: [rowsPerRank, Self.tokens]).to(.int64)
    let text = TextCondition(
      inputIDs: inputIDs, attentionMask: Tensor.ones([rowsPerRank, Self.tokens], dtype: .int64),
      tokenTypeIDs: Tensor.zeros([rowsPerRank, Self.tokens], dtype: .int64))
    return .signal(
      SignalBatch(signal: Tensor(signal, shape: [rowsPerRank, 12, Self.length]), condition: .text(text)))
  }
}
