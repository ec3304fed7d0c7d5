import ECGCore
import ECGModels
import ECGTraining
import Foundation
import Torch

/// A tiny rectified-flow DiT whose draws are cut from the global batch's: step s draws noise and times for all
/// `globalBatch` rows from seed 1000 + s and keeps this rank's rows, so 2 ranks × B see exactly what one process
/// with 2B sees, and their weights can be compared.
final class ReplayedDiT: Pretrainable {
  let network: DiT
  let rank: Int
  let globalBatch: Int
  private var step = 0

  init(rank: Int, globalBatch: Int) throws {
    var config = DiTConfig()
    config.inputDim = 2
    config.dModel = 16
    config.nHeads = 2
    config.dimFF = 32
    config.numLayers = 2
    config.dropout = 0
    config.maxSeqLen = 16
    network = try DiT(config)
    self.rank = rank
    self.globalBatch = globalBatch
  }

  var module: Module { network }

  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("ReplayedDiT takes signal batches") }
    let rows = batch.signal.size(0)
    let length = batch.signal.size(2)
    let channels = batch.signal.size(1)
    Torch.manualSeed(UInt64(1000 + step))
    step += 1
    let noise = Tensor.randn([globalBatch, length, channels])
    let times = Tensor.rand([globalBatch])
    let start = rank * rows
    let replay = RandomDraws(replaying: [
      noise.narrow(dim: 0, start: start, length: rows), times.narrow(dim: 0, start: start, length: rows),
    ])
    return network(batch, draws: replay).loss
  }
}

/// Deterministic batches in which each global batch is cut into the ranks' rows: every process computes the same
/// global rows, so W ranks × B rows see exactly what one process with W·B rows sees.
protocol RankShardedBatches: TrainingBatches {
  var rowsPerRank: Int { get }
  var rank: Int { get }
  /// This rank's part of global batch `index` of `epoch`.
  func batch(epoch: Int, index: Int) -> ModelInput
}

extension RankShardedBatches {
  /// The global rows that belong to this rank.
  var rows: Range<Int> { (rank * rowsPerRank)..<((rank + 1) * rowsPerRank) }

  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> {
    AnySequence((start..<batchesPerEpoch).lazy.map { self.batch(epoch: epoch, index: $0) })
  }
}

/// Global batch b of the run, cut into this rank's rows: deterministic sines, the same on every process.
struct ShardedSines: RankShardedBatches {
  let batchesPerEpoch: Int
  let rowsPerRank: Int
  let rank: Int
  let worldSize: Int

  func batch(epoch: Int, index: Int) -> ModelInput {
    var values: [Float] = []
    for row in rows {
      for channel in 0..<2 {
        for t in 0..<16 {
          let phase = Double(epoch * 7 + index * 3 + row) * 0.37 + Double(channel) * 0.9
          values.append(Float(sin(Double(t) * 0.8 + phase)))
        }
      }
    }
    return .signal(SignalBatch(signal: Tensor(values, shape: [rowsPerRank, 2, 16])))
  }
}
