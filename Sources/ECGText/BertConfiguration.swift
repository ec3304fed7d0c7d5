import ECGCore
import Foundation

/// The sizes and settings of a BERT encoder, read from a Hugging Face folder's `config.json` or from the
/// `text_model` dict of a fixture config (a `transformers.BertConfig`). Coding keys are Hugging Face's field
/// names and missing fields take `BertConfig`'s defaults.
public struct BertConfiguration: Codable, Sendable, Equatable {
  public var vocabSize = 30522
  public var hiddenSize = 768
  public var numHiddenLayers = 12
  public var numAttentionHeads = 12
  public var intermediateSize = 3072
  /// `gelu` (exact, erf), `gelu_new`/`gelu_pytorch_tanh`/`gelu_fast` (tanh approximation), `relu`,
  /// `silu`/`swish`, `tanh`.
  public var hiddenAct = "gelu"
  public var hiddenDropoutProb = 0.1
  public var attentionProbsDropoutProb = 0.1
  public var maxPositionEmbeddings = 512
  public var typeVocabSize = 2
  public var initializerRange = 0.02
  public var layerNormEps = 1e-12
  public var padTokenID = 0
  /// Only `absolute` positions are supported (BERT's default).
  public var positionEmbeddingType = "absolute"
  /// `bert` for BERT checkpoints; nil in bare `BertConfig` dicts.
  public var modelType: String?
  /// The classes the checkpoint was saved from, e.g. `["BertModel"]`.
  public var architectures: [String]?

  enum CodingKeys: String, CodingKey {
    case vocabSize = "vocab_size"
    case hiddenSize = "hidden_size"
    case numHiddenLayers = "num_hidden_layers"
    case numAttentionHeads = "num_attention_heads"
    case intermediateSize = "intermediate_size"
    case hiddenAct = "hidden_act"
    case hiddenDropoutProb = "hidden_dropout_prob"
    case attentionProbsDropoutProb = "attention_probs_dropout_prob"
    case maxPositionEmbeddings = "max_position_embeddings"
    case typeVocabSize = "type_vocab_size"
    case initializerRange = "initializer_range"
    case layerNormEps = "layer_norm_eps"
    case padTokenID = "pad_token_id"
    case positionEmbeddingType = "position_embedding_type"
    case modelType = "model_type"
    case architectures
  }

  public init(
    vocabSize: Int = 30522, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
    intermediateSize: Int = 3072, hiddenAct: String = "gelu", maxPositionEmbeddings: Int = 512,
    typeVocabSize: Int = 2, layerNormEps: Double = 1e-12, padTokenID: Int = 0
  ) {
    self.vocabSize = vocabSize
    self.hiddenSize = hiddenSize
    self.numHiddenLayers = numHiddenLayers
    self.numAttentionHeads = numAttentionHeads
    self.intermediateSize = intermediateSize
    self.hiddenAct = hiddenAct
    self.maxPositionEmbeddings = maxPositionEmbeddings
    self.typeVocabSize = typeVocabSize
    self.layerNormEps = layerNormEps
    self.padTokenID = padTokenID
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let defaults = BertConfiguration()
    vocabSize = try c.decodeValue(.vocabSize, orDefault: defaults.vocabSize)
    hiddenSize = try c.decodeValue(.hiddenSize, orDefault: defaults.hiddenSize)
    numHiddenLayers = try c.decodeValue(.numHiddenLayers, orDefault: defaults.numHiddenLayers)
    numAttentionHeads = try c.decodeValue(.numAttentionHeads, orDefault: defaults.numAttentionHeads)
    intermediateSize = try c.decodeValue(.intermediateSize, orDefault: defaults.intermediateSize)
    hiddenAct = try c.decodeValue(.hiddenAct, orDefault: defaults.hiddenAct)
    hiddenDropoutProb = try c.decodeValue(.hiddenDropoutProb, orDefault: defaults.hiddenDropoutProb)
    attentionProbsDropoutProb = try c.decodeValue(
      .attentionProbsDropoutProb, orDefault: defaults.attentionProbsDropoutProb)
    maxPositionEmbeddings = try c.decodeValue(.maxPositionEmbeddings, orDefault: defaults.maxPositionEmbeddings)
    typeVocabSize = try c.decodeValue(.typeVocabSize, orDefault: defaults.typeVocabSize)
    initializerRange = try c.decodeValue(.initializerRange, orDefault: defaults.initializerRange)
    layerNormEps = try c.decodeValue(.layerNormEps, orDefault: defaults.layerNormEps)
    // Some configs write `"pad_token_id": null`; BertModel then has no padding row.
    padTokenID = (try? c.decodeIfPresent(Int.self, forKey: .padTokenID)) ?? defaults.padTokenID
    positionEmbeddingType = try c.decodeValue(.positionEmbeddingType, orDefault: defaults.positionEmbeddingType)
    modelType = try c.decodeIfPresent(String.self, forKey: .modelType)
    architectures = try c.decodeIfPresent([String].self, forKey: .architectures)
  }

  /// A configuration from a JSON object already parsed, e.g. a fixture's `config.text_model`.
  public init(dictionary: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: dictionary)
    do {
      self = try JSONDecoder().decode(BertConfiguration.self, from: data)
    } catch {
      throw TextModelError.invalidConfiguration(
        "the BERT configuration cannot be read (\(error)); give it the fields of a transformers BertConfig")
    }
  }

  /// Reads a `config.json` file.
  public init(contentsOf url: URL) throws {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw TextModelError.missingFile(url.path, "a Hugging Face model folder needs config.json")
    }
    do {
      self = try JSONDecoder().decode(BertConfiguration.self, from: data)
    } catch {
      throw TextModelError.invalidConfiguration(
        "\(url.path) is not a valid model configuration (\(error)); check that it is the folder's config.json")
    }
  }

  /// Model types whose checkpoints have `BertModel`'s layout and computation.
  public static let supportedModelTypes: Set<String> = ["bert"]

  /// The activation of the feed-forward layers.
  public var activation: BertActivation? { BertActivation(rawValue: hiddenAct) }

  /// Throws when the encoder cannot be built from this configuration, saying what to change.
  public func validate() throws {
    if let modelType, !Self.supportedModelTypes.contains(modelType) {
      throw TextModelError.unsupportedModel(
        "model_type '\(modelType)' is not BERT; only BERT encoders (model_type 'bert', e.g. BertModel checkpoints such as all-MiniLM-L6-v2 or MedCPT) are supported"
      )
    }
    if let architectures, !architectures.isEmpty, !architectures.contains(where: { $0.hasPrefix("Bert") }) {
      throw TextModelError.unsupportedModel(
        "the checkpoint's architectures \(architectures) are not BERT; use a folder saved from a BertModel (or a Bert* head model)"
      )
    }
    guard activation != nil else {
      throw TextModelError.invalidConfiguration(
        "hidden_act '\(hiddenAct)' is not supported; use one of \(BertActivation.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    guard positionEmbeddingType == "absolute" else {
      throw TextModelError.invalidConfiguration(
        "position_embedding_type '\(positionEmbeddingType)' is not supported; only 'absolute' positions are")
    }
    let sizes: [(String, Int)] = [
      ("vocab_size", vocabSize), ("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
      ("num_attention_heads", numAttentionHeads), ("intermediate_size", intermediateSize),
      ("max_position_embeddings", maxPositionEmbeddings), ("type_vocab_size", typeVocabSize),
    ]
    for (name, size) in sizes where size <= 0 {
      throw TextModelError.invalidConfiguration("\(name) must be positive, got \(size)")
    }
    guard hiddenSize % numAttentionHeads == 0 else {
      throw TextModelError.invalidConfiguration(
        "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
    }
    guard (0..<vocabSize).contains(padTokenID) else {
      throw TextModelError.invalidConfiguration("pad_token_id \(padTokenID) is outside the vocabulary of \(vocabSize)")
    }
  }
}

/// The feed-forward activations Hugging Face's `ACT2FN` offers for BERT.
public enum BertActivation: String, CaseIterable, Sendable {
  case gelu
  case geluNew = "gelu_new"
  case geluPytorchTanh = "gelu_pytorch_tanh"
  case geluFast = "gelu_fast"
  case relu
  case silu
  case swish
  case tanh
}
