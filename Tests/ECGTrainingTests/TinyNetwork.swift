import ECGCore
import ECGModels
import ECGTraining
import Foundation
import Torch

/// A two-layer denoiser over [B, C, L] signals: noise from the draws (so the generator's state matters),
/// dropout (so training mode matters), a GELU between two linear layers, MSE to the clean signal.
final class TinyDenoiser: Module, Pretrainable {
  @Child("input_proj") var inputProj: Linear
  @Child("output_proj") var outputProj: Linear

  init(length: Int, hidden: Int = 16) {
    super.init()
    inputProj = Linear(length, hidden)
    outputProj = Linear(hidden, length)
  }

  var module: Module { self }

  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("TinyDenoiser takes signal batches") }
    let noisy = batch.signal + draws.randn(like: batch.signal) * 0.1
    let hidden = Functional.dropout(inputProj(noisy).gelu(), p: 0.1, training: isTraining)
    return Functional.mseLoss(outputProj(hidden), batch.signal)
  }
}

/// Deterministic signal batches: batch b of epoch e is a function of (e, window index), like the real loader.
struct SineBatches: TrainingBatches {
  let batchesPerEpoch: Int
  var batchSize = 2
  var channels = 3
  var length = 8
  /// The same batch every time (for overfitting).
  var repeatOneBatch = false
  /// Batches actually produced per epoch when fewer than promised (a loader whose windows all fail).
  var producedPerEpoch: Int?

  func batches(epoch: Int, startingAt start: Int) -> AnySequence<ModelInput> {
    let end = Swift.min(batchesPerEpoch, producedPerEpoch ?? batchesPerEpoch)
    return AnySequence((Swift.min(start, end)..<end).lazy.map { self.batch(epoch: epoch, index: $0) })
  }

  func batch(epoch: Int, index: Int) -> ModelInput {
    let (e, b) = repeatOneBatch ? (0, 0) : (epoch, index)
    var values: [Float] = []
    for item in 0..<batchSize {
      for channel in 0..<channels {
        for t in 0..<length {
          let phase = Double(e * 7 + b * 3 + item) * 0.37 + Double(channel) * 0.9
          values.append(Float(sin(Double(t) * 0.8 + phase)))
        }
      }
    }
    return .signal(SignalBatch(signal: Tensor(values, shape: [batchSize, channels, length])))
  }
}

/// A trainer over the tiny network with the reference optimizer, seeded.
func makeTrainer(
  _ configuration: TrainingConfiguration, batches: SineBatches, learningRate: Double = 3e-3,
  optimizer kind: OptimizerKind = .adamw, checkpoints: URL? = nil, initSeed: UInt64 = 0
) throws -> (Trainer, TinyDenoiser) {
  Torch.manualSeed(initSeed)
  let network = TinyDenoiser(length: batches.length)
  var settings = OptimizerConfiguration()
  settings.kind = kind
  settings.learningRate = learningRate
  settings.warmupSteps = 2
  settings.schedule = .cosine
  settings.batchSize = configuration.batchSize
  settings.gradientAccumulationSteps = configuration.gradientAccumulationSteps
  settings.maxSteps = configuration.totalOptimizerSteps(batchesPerEpoch: batches.batchesPerEpoch)
  let optimizer = ReferenceOptimizer(settings, parameters: network.namedParameters())
  Torch.manualSeed(configuration.seed)
  let trainer = try Trainer(
    network: network, optimizer: optimizer, batches: batches, configuration: configuration,
    checkpointDirectory: checkpoints, runConfiguration: "neural_network: tiny\n")
  return (trainer, network)
}

/// Every tensor of the state as raw bytes, for bit-identical comparison.
func rawBytes(_ state: StateDict) -> [String: [UInt8]] {
  Dictionary(uniqueKeysWithValues: state.map { ($0.name, $0.tensor.contiguousBytes()) })
}
