import ECGCore
import ECGModels
import ECGText
import Torch

/// `ecg bench train` entries for MAE-ViT, MLAE, MTAE, ST-MEM and MERL. base = the builder's defaults at L 2500
/// (batch 4); tiny = width 64, 4 heads, 2 encoder and 2 decoder layers (feed-forward 256), L 500, batch 8.
extension TrainBenchModel {
  static let maskedAutoencoders: [TrainBenchModel] = [maeViT, mlae, mtae, stMEM, merl]

  static let maeViT = TrainBenchModel(
    name: "mae_vit", defaultBatch: { $0 == .base ? 4 : 8 },
    makeNetwork: { preset in
      var config = MAEViTConfig(patchDim: signalLength(preset))
      if preset == .tiny {
        (config.dModel, config.decoderDModel, config.nHeads, config.dimFF) = (64, 64, 4, 256)
        (config.numEncoderLayers, config.numDecoderLayers) = (2, 2)
      }
      return MAEViT(config: config)
    },
    makeBatch: { preset, size, device in
      // One patch per lead, 3 of 12 visible per row (the pipeline's 75 % masking), at random leads.
      let patches = Tensor.randn([size, 12, signalLength(preset)], device: device)
      let ranks = Tensor.rand([size, 12]).argsort(dim: 1).argsort(dim: 1)
      let visible = ranks.lt(3.0).to(dtype: .float32).to(device: device)
      return .patches(PatchBatch(patches: patches, visibleMask: visible))
    })

  /// MTAE's sizes at the tiny preset (MLAE and ST-MEM share them).
  static func tinyMAEFamily(_ config: inout MTAEConfig) {
    (config.embedDim, config.depth, config.numHeads) = (64, 2, 4)
    (config.decoderEmbedDim, config.decoderDepth, config.decoderNumHeads) = (64, 2, 4)
  }

  static let mlae = TrainBenchModel(
    name: "mlae", defaultBatch: { $0 == .base ? 4 : 8 },
    makeNetwork: { preset in
      var config = MLAEConfig(segmentLength: signalLength(preset))
      if preset == .tiny { tinyMAEFamily(&config.fields) }
      return MLAE(config: config)
    },
    makeBatch: randomSignal)

  static let mtae = TrainBenchModel(
    name: "mtae", defaultBatch: { $0 == .base ? 4 : 8 },
    makeNetwork: { preset in
      var config = MTAEConfig(segmentLength: signalLength(preset))
      if preset == .tiny { tinyMAEFamily(&config) }
      return MTAE(config: config)
    },
    makeBatch: randomSignal)

  static let stMEM = TrainBenchModel(
    name: "st_mem", defaultBatch: { $0 == .base ? 4 : 8 },
    makeNetwork: { preset in
      var config = STMEMConfig(segmentLength: signalLength(preset))
      if preset == .tiny { tinyMAEFamily(&config) }
      return STMEM(config: config)
    },
    makeBatch: randomSignal)

  /// MERL with a BERT of MedCPT's size (base: 12 layers, hidden 768; tiny: 2 layers, hidden 64), randomly
  /// initialised (frozen, forward only, so its values do not change the timing), 128-token reports.
  static let merl = TrainBenchModel(
    name: "merl", defaultBatch: { $0 == .base ? 4 : 8 },
    makeNetwork: { preset in
      var text = BertConfiguration()
      var config = MerlConfig(segmentLength: signalLength(preset))
      if preset == .tiny {
        (text.hiddenSize, text.numHiddenLayers, text.numAttentionHeads, text.intermediateSize) = (64, 2, 4, 256)
        (config.resnetType, config.resnetWidths, config.inChannels) = ("resnet18", [16, 32, 64, 64], 64)
        (config.projHidden, config.projOut) = (64, 64)
      }
      let bert = try BertModel(text)
      bert.initializeWeights()
      return try Merl(config: config, textModel: bert)
    },
    makeBatch: { preset, size, device in
      let ids = Tensor.randint(1, 1000, [size, 128], device: device)
      let text = TextCondition(
        inputIDs: ids, attentionMask: Tensor.ones([size, 128], dtype: .int64, device: device),
        tokenTypeIDs: Tensor.zeros([size, 128], dtype: .int64, device: device))
      let signal = Tensor.randn([size, 12, signalLength(preset)], device: device)
      return .signal(SignalBatch(signal: signal, condition: .text(text)))
    })
}
