import ECGCore
import ECGModels
import ECGTokenizer
import ECGTraining
import Foundation
import TensorFormats
import Torch

/// Builds the network `ecg pretrain` trains from the resolved settings: the reference builder's configuration
/// (models.md §2) with the preset's and the overrides' sizes applied, then adapted to the trainer.
enum PretrainNetworks {
  /// Set only by tests, before a command runs, to train a small network of their own end to end.
  nonisolated(unsafe) static var factory: ((PretrainSettings) throws -> any Pretrainable)?

  static func make(_ settings: PretrainSettings) throws -> any Pretrainable {
    if let factory { return try factory(settings) }
    return try build(settings)
  }

  /// The network of `settings`, never the tests' `factory` (what `ecg eval` loads checkpoints into).
  static func build(_ settings: PretrainSettings) throws -> any Pretrainable {
    let size = settings.size
    var flags = BuilderFlags(
      neuralNetwork: settings.neuralNetwork.rawValue, objective: settings.objective, condition: settings.condition)
    flags.textFeatureExtractor = settings.textFeatureExtractor
    flags.segmentLen = settings.segmentLen
    flags.bpeSymbolicLen = settings.bpeSymbolicLen
    flags.patchDim = settings.patchDim
    flags.signalHead = settings.signalHead
    flags.signalHeadLayers = settings.signalHeadLayers
    flags.signalHeadNumSteps = settings.signalHeadNumSteps
    flags.freezeDecoder = settings.freezeDecoder
    flags.flowLossWeight = settings.flowLossWeight
    flags.conditionDropout = settings.conditionDropout
    switch settings.neuralNetwork {
    case .dit:
      var config = try NetworkBuilder.ditConfig(flags)
      apply(size, &config.dModel, &config.numLayers, &config.nHeads, &config.dimFF)
      if let length = settings.maxSeqLen { config.maxSeqLen = length }
      return Trainee(try DiT(config, textEncoder: try settings.textModelFolder()?.loadModel()))
    case .nepa:
      var config = NetworkBuilder.nepaConfig(flags)
      apply(size, &config.dModel, &config.numLayers, &config.nHeads, &config.dimFF)
      return Trainee(try NEPA(config))
    case .decoder:
      let tokenizer = try ECGByteTokenizer(contentsOf: settings.bpeTokenizerPath)
      flags.vocabSize = tokenizer.vocabularySizeWithSpecialTokens
      flags.padID = Int(tokenizer.specialTokens.pad)
      // A decoder checkpoint fixes the vocabulary (the representation's may grow it after loading).
      let checkpointVocabulary = try settings.nnCkpt.map {
        CheckpointLoading.decoderVocabularySize(try initialState($0, ema: settings.ema).state)
      }
      var decoder = try NetworkBuilder.decoderConfig(flags, checkpointVocabSize: checkpointVocabulary ?? nil)
      apply(size, &decoder.dModel, &decoder.numLayers, &decoder.nHeads, &decoder.dimFF)
      // bf16 is mixed precision here (autocast), so the weights stay float32 (the reference casts them).
      guard settings.signalHead else { return Trainee(try DecoderTransformer(decoder)) }
      var config = DecoderWithSignalHeadConfig(
        decoder: decoder, signalHead: NetworkBuilder.signalHeadConfig(flags, decoder: decoder))
      config.freezeDecoder = settings.freezeDecoder
      config.flowLossWeight = settings.flowLossWeight
      return Trainee(try DecoderWithSignalHead(config))
    case .maeViT:
      var config = MAEViTConfig(patchDim: settings.patchDim)
      apply(size, &config.dModel, &config.numEncoderLayers, &config.nHeads, &config.dimFF)
      config.decoderDModel = config.dModel
      return Trainee(MAEViT(config: config)) { network, input, _ in
        guard case .patches(let batch) = input else { preconditionFailure("MAE-ViT trains on patch batches") }
        return network(batch).loss
      }
    case .mtae, .stMEM, .mlae:
      var config =
        settings.neuralNetwork == .mlae
        ? MLAEConfig(segmentLength: settings.segmentLen).fields : MTAEConfig(segmentLength: settings.segmentLen)
      var unusedWidth = 0
      apply(size, &config.embedDim, &config.depth, &config.numHeads, &unusedWidth)
      // The family sizes its feed-forward by a ratio of the token width.
      if let width = size.dimFF { config.mlpRatio = Double(width) / Double(config.embedDim) }
      try config.validate()  // a config.yaml edited by hand does not pass the flags' checks
      let maskedLoss: (SignalBatch, RandomDraws) -> Tensor
      let network: Module
      switch settings.neuralNetwork {
      case .stMEM:
        let model = STMEM(config: config)
        (network, maskedLoss) = (model, { model($0, draws: $1).loss })
      case .mlae:
        var mlae = MLAEConfig(segmentLength: settings.segmentLen)
        mlae.fields = config
        let model = MLAE(config: mlae)
        (network, maskedLoss) = (model, { model($0, draws: $1).loss })
      default:
        let model = MTAE(config: config)
        (network, maskedLoss) = (model, { model($0, draws: $1).loss })
      }
      return Trainee(network) { _, input, draws in
        guard case .signal(let batch) = input else { preconditionFailure("the MAE family trains on signal batches") }
        return maskedLoss(batch, draws)
      }
    case .merl:
      var config = MerlConfig()
      // The ECG side is a ResNet, sized by the preset alone (base: the reference's ResNet-101); the text side is
      // the --text_feature_extractor folder's.
      switch settings.preset {
      case "tiny":
        (config.resnetType, config.resnetWidths, config.inChannels) = ("resnet18", [16, 32, 64, 64], 64)
        (config.projHidden, config.projOut) = (64, 64)
      case "small": (config.resnetType, config.inChannels) = ("resnet18", 512)
      default: break
      }
      config.seqLen = settings.segmentLen
      config.spacialDim = MerlResNet.outputLength(settings.segmentLen)
      config.distributed = settings.distributed  // the trainer gives it the group's all-gather
      let text = try settings.textModelFolder()!.loadModel()
      config.textHiddenSize = text.hiddenSize
      return Trainee(try Merl(config: config, textModel: text)) { network, input, _ in
        guard case .signal(let batch) = input else { preconditionFailure("MERL trains on signal batches") }
        return network(batch).loss
      }
    }
  }

  /// Overrides the reference's default sizes with the preset's and the flags' (nil keeps the default).
  private static func apply(
    _ size: ModelSize, _ width: inout Int, _ depth: inout Int, _ heads: inout Int, _ ff: inout Int
  ) {
    if let value = size.dModel { width = value }
    if let value = size.numLayers { depth = value }
    if let value = size.nHeads { heads = value }
    if let value = size.dimFF { ff = value }
  }

  /// The state dict `--nn_ckpt` names: one of our checkpoint or run folders, a `.safetensors` file or a
  /// reference `.pt`; with `--ema` the EMA weights where the checkpoint has them (models.md §2.1).
  static func initialState(_ path: String, ema: Bool) throws -> (state: StateDict, source: String) {
    var url = URL(fileURLWithPath: path)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      url = try CheckpointFolder.resolveWeights(url).url
    }
    return try CheckpointLoading.readStateDict(at: url, ema: ema)
  }

  /// `--nn_ckpt` loaded by the networks' rules (ECGModels' `CheckpointLoading`): strict for the decoder (its
  /// vocabulary grown to the representation's), the signal-head wrapper split, non-strict for the others.
  static func loadInitialWeights(_ path: String, into network: any Pretrainable, settings: PretrainSettings) throws
    -> CheckpointLoadReport
  {
    let (state, source) = try initialState(path, ema: settings.ema)
    var vocabulary: Int? = nil
    if settings.neuralNetwork == .decoder {
      vocabulary = try ECGByteTokenizer(contentsOf: settings.bpeTokenizerPath).vocabularySizeWithSpecialTokens
    }
    return try CheckpointLoading.load(
      state, into: network.module, source: source, representationVocabSize: vocabulary)
  }
}

/// A network as the trainer sees it: its module and its training loss.
final class Trainee<Network: Module>: Pretrainable {
  let network: Network
  private let loss: (Network, ModelInput, RandomDraws) -> Tensor

  init(_ network: Network, loss: @escaping (Network, ModelInput, RandomDraws) -> Tensor) {
    self.network = network
    self.loss = loss
  }

  var module: Module { network }

  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor { loss(network, input, draws) }
}

extension Trainee where Network: ECGNetwork {
  /// The builder's networks already give their training loss.
  convenience init(_ network: Network) {
    self.init(network) { network, input, draws in network.trainingLoss(input, draws: draws) }
  }
}
