import ECGCore
import ECGModels
import Torch

/// The size presets of `ecg bench train`.
enum TrainBenchPreset: String, CaseIterable {
  /// The reference's defaults: L = 2500 samples, 2048 tokens, dropout 0.1.
  case base
  /// d_model 64, 4 heads, feed-forward 256, 2 layers, dropout 0.1, L = 500 samples / 512 tokens, batch 8.
  case tiny
}

/// One network `ecg bench train --model` can time: how to build it at a preset and make a batch for it.
/// The MAE family and MERL are in `TrainBenchModels+MaskedAutoencoders.swift`.
struct TrainBenchModel: Sendable {
  /// The `--model` value.
  let name: String
  /// Batch size when `--batch` is not given.
  let defaultBatch: @Sendable (TrainBenchPreset) -> Int
  /// The network at a preset, in training mode, initialised from libtorch's generator.
  let makeNetwork: @Sendable (TrainBenchPreset) throws -> any ECGNetwork
  /// A random batch of `size` rows for the network at a preset, on `device`.
  let makeBatch: @Sendable (TrainBenchPreset, _ size: Int, Device) -> ModelInput

  static let all: [TrainBenchModel] =
    [
      dit("dit_rf", objective: "rectified_flow"), dit("dit_ddpm", objective: "ddpm"), nepa, decoder,
    ] + maskedAutoencoders

  static func named(_ name: String) -> TrainBenchModel? { all.first { $0.name == name } }

  /// Signal length L of a preset.
  static func signalLength(_ preset: TrainBenchPreset) -> Int { preset == .base ? 2500 : 500 }

  @Sendable static func randomSignal(_ preset: TrainBenchPreset, _ size: Int, _ device: Device) -> ModelInput {
    .signal(SignalBatch(signal: Tensor.randn([size, 12, signalLength(preset)], device: device)))
  }

  static func dit(_ name: String, objective: String) -> TrainBenchModel {
    TrainBenchModel(
      name: name, defaultBatch: { $0 == .base ? 1 : 8 },
      makeNetwork: { preset in
        var config = try NetworkBuilder.ditConfig(
          BuilderFlags(neuralNetwork: "trans_continuous_dit", objective: objective))
        if preset == .tiny { (config.dModel, config.nHeads, config.dimFF, config.numLayers) = (64, 4, 256, 2) }
        return try DiT(config)
      },
      makeBatch: randomSignal)
  }

  static let nepa = TrainBenchModel(
    name: "nepa", defaultBatch: { $0 == .base ? 2 : 8 },
    makeNetwork: { preset in
      var flags = BuilderFlags(neuralNetwork: "trans_continuous_nepa", objective: "autoregressive")
      flags.segmentLen = signalLength(preset)
      var config = NetworkBuilder.nepaConfig(flags)
      if preset == .tiny { (config.dModel, config.nHeads, config.dimFF, config.numLayers) = (64, 4, 256, 2) }
      return try NEPA(config)
    },
    makeBatch: randomSignal)

  /// The shipped tokenizer's vocabulary (10256 merges + pad, bos, eos) and pad id.
  static let vocabulary = (size: 10259, pad: 10256)

  static func tokenCount(_ preset: TrainBenchPreset) -> Int { preset == .base ? 2048 : 512 }

  static let decoder = TrainBenchModel(
    name: "decoder", defaultBatch: { $0 == .base ? 1 : 8 },
    makeNetwork: { preset in
      var flags = BuilderFlags(neuralNetwork: "trans_discrete_decoder", objective: "autoregressive")
      (flags.vocabSize, flags.padID, flags.bpeSymbolicLen) = (vocabulary.size, vocabulary.pad, tokenCount(preset))
      var config = try NetworkBuilder.decoderConfig(flags)
      if preset == .tiny { (config.dModel, config.nHeads, config.dimFF, config.numLayers) = (64, 4, 256, 2) }
      return try DecoderTransformer(config)
    },
    makeBatch: { preset, size, device in
      let ids = Tensor.randint(0, vocabulary.pad, [size, tokenCount(preset)], device: device)
      return .tokens(TokenBatch(tgtIDs: ids, labels: ids))
    })
}
