import ECGCore
import Torch

/// The command-line flags the reference's builder reads (models.md §2, evaluation.md §8), under their
/// reference names (`--neural_network` → `neural_network`). Numbers may also be given as strings, as
/// argparse leaves them in saved run configurations.
public struct BuilderFlags: Codable, Sendable, Equatable {
  /// `--neural_network`: `trans_continuous_dit`, `trans_continuous_nepa`, `trans_discrete_decoder`, `mae_vit`,
  /// `merl`, `mlae`, `mtae`, `st_mem`.
  public var neuralNetwork: String
  /// `--objective`: `rectified_flow`, `ddpm`, `autoregressive`, `mae`, `merl`.
  public var objective: String?
  /// `--condition`: nil, `lead` or `text`.
  public var condition: String?
  /// `--text_feature_extractor`: the Hugging Face text model for text conditioning (and MERL's tokenizer).
  public var textFeatureExtractor: String?
  /// `--segment_len` L.
  public var segmentLen = 2500
  /// `--bpe_symbolic_len`: the decoder's `max_seq_len`.
  public var bpeSymbolicLen = 2048
  /// `--patch_dim` (MAE-ViT).
  public var patchDim = 2500
  /// `--signal_head`: wrap the discrete decoder with the flow-matching signal head.
  public var signalHead = false
  public var signalHeadLayers = 4
  public var signalHeadNumSteps = 50
  public var freezeDecoder = false
  public var flowLossWeight = 1.0
  /// `--condition_dropout`: DiT's classifier-free dropout; the reference ignores the flag (always 0.1), we
  /// honour it when given (M2).
  public var conditionDropout: Double?
  /// `--bfloat_16`: casts the discrete decoder (and its head) to bfloat16.
  public var bfloat16 = false
  /// `--distributed` (MERL gathers across ranks).
  public var distributed = false
  /// The representation's vocabulary size (10259 with the shipped tokenizer): the decoder's `vocab_size`.
  public var vocabSize: Int?
  /// The representation's pad id (10256): the decoder's `pad_id`.
  public var padID: Int?

  public init(neuralNetwork: String, objective: String? = nil, condition: String? = nil) {
    self.neuralNetwork = neuralNetwork
    self.objective = objective
    self.condition = condition
  }

  enum CodingKeys: String, CodingKey {
    case neuralNetwork = "neural_network", objective, condition, textFeatureExtractor = "text_feature_extractor"
    case segmentLen = "segment_len", bpeSymbolicLen = "bpe_symbolic_len", patchDim = "patch_dim"
    case signalHead = "signal_head", signalHeadLayers = "signal_head_layers"
    case signalHeadNumSteps = "signal_head_num_steps", freezeDecoder = "freeze_decoder"
    case flowLossWeight = "flow_loss_weight", conditionDropout = "condition_dropout", bfloat16 = "bfloat_16"
    case distributed, vocabSize = "vocab_size", padID = "pad_id"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func value<T: Decodable & LosslessStringConvertible>(_ key: CodingKeys) throws -> T? {
      if try !c.contains(key) || c.decodeNil(forKey: key) { return nil }
      if let direct = try? c.decode(T.self, forKey: key) { return direct }
      let text = try c.decode(String.self, forKey: key)
      guard let parsed = T(text) else {
        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "cannot read '\(text)'")
      }
      return parsed
    }
    self.init(
      neuralNetwork: try c.decode(String.self, forKey: .neuralNetwork), objective: try value(.objective),
      condition: try value(.condition))
    textFeatureExtractor = try value(.textFeatureExtractor)
    segmentLen = try value(.segmentLen) ?? segmentLen
    bpeSymbolicLen = try value(.bpeSymbolicLen) ?? bpeSymbolicLen
    patchDim = try value(.patchDim) ?? patchDim
    signalHead = try value(.signalHead) ?? false
    signalHeadLayers = try value(.signalHeadLayers) ?? signalHeadLayers
    signalHeadNumSteps = try value(.signalHeadNumSteps) ?? signalHeadNumSteps
    freezeDecoder = try value(.freezeDecoder) ?? false
    flowLossWeight = try value(.flowLossWeight) ?? flowLossWeight
    conditionDropout = try value(.conditionDropout)
    bfloat16 = try value(.bfloat16) ?? false
    distributed = try value(.distributed) ?? false
    vocabSize = try value(.vocabSize)
    padID = try value(.padID)
  }
}

/// A network the trainer drives: one typed batch in, the training loss out (`model(**batch)["loss"]`).
public protocol ECGNetwork: Module {
  /// The loss of the training forward on `input`, drawing its random numbers from `draws`.
  func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor
}

/// What the builder made: the network and how the trainer must wrap it.
public struct BuiltNetwork {
  public let network: any ECGNetwork
  /// DDP's `find_unused_parameters` (true only for the decoder with the signal head).
  public let findUnusedParameters: Bool
}

/// Maps the reference's flags to a network exactly as its builder does (models.md §2).
public enum NetworkBuilder {
  /// Builds the network named by `flags.neuralNetwork` at the reference's default sizes with the flags'
  /// settings, drawing initial weights from libtorch's generator.
  /// - Parameters:
  ///   - checkpointVocabSize: the decoder's vocabulary when resuming from `--nn_ckpt` (the checkpoint's
  ///     `token_emb.weight` rows), which takes precedence over the representation's.
  ///   - textEncoder: the frozen text model for `--condition text`; nil loads the local Hugging Face folder
  ///     named by `--text_feature_extractor`.
  public static func build(
    _ flags: BuilderFlags, checkpointVocabSize: Int? = nil, textEncoder: (any TextEncoder)? = nil
  ) throws -> BuiltNetwork {
    let name = flags.neuralNetwork
    // The reference dispatches by substring ("trans", "mae", "merl") and exact names for the rest.
    if name.contains("trans") {
      if name.contains("dit") {
        let text = flags.condition == "text" ? try textEncoder ?? loadTextEncoder(flags) : nil
        return BuiltNetwork(network: try DiT(ditConfig(flags), textEncoder: text), findUnusedParameters: false)
      }
      if name.contains("nepa") {
        return BuiltNetwork(network: try NEPA(nepaConfig(flags)), findUnusedParameters: false)
      }
      if name.contains("decoder") { return try buildDecoder(flags, checkpointVocabSize: checkpointVocabSize) }
    }
    if let network = try buildMaskedAutoencoderOrMerl(flags, textEncoder: textEncoder) { return network }
    throw ModelConfigurationError(
      "unknown --neural_network \(name): choose trans_continuous_dit, trans_continuous_nepa, trans_discrete_decoder, "
        + "mae_vit, merl, mlae, mtae or st_mem")
  }

  /// DiT's configuration from the flags (§2): `input_dim` 7 with the lead condition, `loss_type` = objective,
  /// `num_steps` 50 (rectified flow) or 1000 (DDPM), `condition_dropout` when given.
  public static func ditConfig(_ flags: BuilderFlags) throws -> DiTConfig {
    var config = DiTConfig()
    let steps = ["rectified_flow": 50, "ddpm": 1000]
    guard let objective = flags.objective, let numSteps = steps[objective] else {
      throw ModelConfigurationError(
        "DiT trains with --objective rectified_flow or ddpm, not \(flags.objective ?? "none")")
    }
    config.inputDim = flags.condition == "lead" ? 7 : 12
    config.lossType = objective
    config.numSteps = numSteps
    config.condition = flags.condition
    config.textFeatureExtractor = flags.textFeatureExtractor
    if let dropout = flags.conditionDropout { config.conditionDropout = dropout }
    return config
  }

  /// NEPA's configuration: `max_seq_len` = `--segment_len`.
  public static func nepaConfig(_ flags: BuilderFlags) -> NEPAConfig {
    var config = NEPAConfig()
    config.maxSeqLen = flags.segmentLen
    return config
  }

  /// The decoder's configuration: vocabulary from the checkpoint or the representation, its pad id,
  /// `max_seq_len` = `--bpe_symbolic_len`.
  public static func decoderConfig(_ flags: BuilderFlags, checkpointVocabSize: Int? = nil) throws
    -> DecoderTransformerConfig
  {
    guard let vocab = checkpointVocabSize ?? flags.vocabSize, let pad = flags.padID else {
      throw ModelConfigurationError("the discrete decoder needs the representation's vocabulary size and pad id")
    }
    if let checkpointVocabSize, pad >= checkpointVocabSize {
      throw ModelConfigurationError(
        "the checkpoint's decoder has a \(checkpointVocabSize)-token vocabulary, but the tokenizer's pad id is \(pad)"
          + (flags.vocabSize.map { " (\($0) tokens)" } ?? "")
          + ": pass the tokenizer the checkpoint was trained with (--bpe_tokenizer_path)")
    }
    var config = DecoderTransformerConfig(vocabSize: vocab, padID: pad)
    config.maxSeqLen = flags.bpeSymbolicLen
    return config
  }

  /// The signal head's configuration (§6.1): one channel with any `--condition`, else 12; the decoder's widths.
  public static func signalHeadConfig(_ flags: BuilderFlags, decoder: DecoderTransformerConfig) -> SignalFlowHeadConfig
  {
    var config = SignalFlowHeadConfig()
    config.signalDim = flags.condition != nil ? 1 : 12
    config.dModel = decoder.dModel
    config.nHeads = decoder.nHeads
    config.dimFF = decoder.dimFF
    config.numLayers = flags.signalHeadLayers
    config.dropout = decoder.dropout
    config.maxSignalLen = flags.segmentLen
    config.numSteps = flags.signalHeadNumSteps
    return config
  }

  private static func buildDecoder(_ flags: BuilderFlags, checkpointVocabSize: Int?) throws -> BuiltNetwork {
    let decoderConfig = try decoderConfig(flags, checkpointVocabSize: checkpointVocabSize)
    let network: any ECGNetwork
    if flags.signalHead {
      var config = DecoderWithSignalHeadConfig(
        decoder: decoderConfig, signalHead: signalHeadConfig(flags, decoder: decoderConfig))
      config.freezeDecoder = flags.freezeDecoder
      config.flowLossWeight = flags.flowLossWeight
      network = try DecoderWithSignalHead(config)
    } else {
      network = try DecoderTransformer(decoderConfig)
    }
    if flags.bfloat16 { network.to(dtype: .bfloat16) }
    return BuiltNetwork(network: network, findUnusedParameters: flags.signalHead)
  }
}

extension DiT: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("DiT trains on signal batches") }
    return self(batch, draws: draws).loss
  }
}

extension NEPA: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .signal(let batch) = input else { preconditionFailure("NEPA trains on signal batches") }
    return self(batch).loss
  }
}

extension DecoderTransformer: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .tokens(let batch) = input, let loss = self(batch).loss else {
      preconditionFailure("the decoder trains on token batches with labels")
    }
    return loss
  }
}

extension DecoderWithSignalHead: ECGNetwork {
  public func trainingLoss(_ input: ModelInput, draws: RandomDraws) -> Tensor {
    guard case .tokens(let batch) = input else { preconditionFailure("the signal head trains on token batches") }
    return self(batch, draws: draws).loss
  }
}
