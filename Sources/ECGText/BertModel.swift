import ECGCore
import Torch

/// Hugging Face's `transformers.BertModel`: token, position and token-type embeddings, post-LN encoder layers
/// (self-attention under the attention mask, then a feed-forward block) and the pooler
/// (`tanh(dense(hidden state of [CLS]))`), with the same `state_dict` names
/// (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, `pooler.dense.weight`, …).
///
/// Construction draws nothing from the global random generator: the weights start at zero (LayerNorm at
/// one) until a checkpoint is loaded (`TextModelFolder`, `load(bertStateDict:)`), or until
/// `initializeWeights()` draws BERT's initialisation. The non-persistent buffers `embeddings.position_ids`
/// and `embeddings.token_type_ids` are not in `stateDict()`, as in recent `transformers`.
///
///     let model = try BertModel(BertConfiguration(dictionary: config["text_model"]))
///     try model.load(bertStateDict: weights)
///     let out = model(condition)          // input_ids [B, T] → last_hidden_state [B, T, H]
public final class BertModel: Module {
  @Child("embeddings") var embeddings: BertEmbeddings
  @Child("encoder") var encoder: BertEncoder
  @Child("pooler") var pooler: BertPooler?
  public let configuration: BertConfiguration

  /// A BERT encoder of `configuration`'s sizes; `addPoolingLayer: false` leaves out `pooler.*`
  /// (`BertModel(config, add_pooling_layer=False)`), as in checkpoints saved from masked-LM heads.
  public init(_ configuration: BertConfiguration, addPoolingLayer: Bool = true) throws {
    try configuration.validate()
    self.configuration = configuration
    super.init()
    embeddings = BertEmbeddings(configuration)
    encoder = BertEncoder(configuration)
    pooler = addPoolingLayer ? BertPooler(configuration.hiddenSize) : nil
  }

  /// Whether the model has the pooling layer (`pooler.dense.*`).
  public var hasPooler: Bool { pooler != nil }

  /// The device the weights are on; inputs are moved there.
  public var device: Device { embeddings.wordEmbeddings.weight.device }

  /// Runs the encoder on token ids (`model(input_ids, attention_mask, token_type_ids)`).
  /// - Parameters:
  ///   - inputIDs: int64 [B, T], T ≤ `max_position_embeddings`.
  ///   - attentionMask: [B, T], 1 for tokens to attend to, 0 for padding; nil attends everywhere.
  ///   - tokenTypeIDs: int64 [B, T]; nil means all zeros.
  /// - Returns: `last_hidden_state` [B, T, H] and `pooler_output` [B, H].
  public func callAsFunction(inputIDs: Tensor, attentionMask: Tensor? = nil, tokenTypeIDs: Tensor? = nil)
    -> BertOutput
  {
    precondition(inputIDs.rank == 2, "input_ids must be [batch, length], got \(inputIDs.shape)")
    precondition(
      inputIDs.size(1) <= configuration.maxPositionEmbeddings,
      "\(inputIDs.size(1)) tokens exceed max_position_embeddings \(configuration.maxPositionEmbeddings)")
    let device = self.device
    let ids = inputIDs.to(device: device)
    let mask = attentionMask?.to(device: device) ?? Tensor.ones(ids.shape, dtype: .int64, device: device)
    let hidden = embeddings(inputIDs: ids, tokenTypeIDs: tokenTypeIDs?.to(device: device))
    // HF's extended mask: 0 where attended, the dtype's lowest value where masked, broadcast over heads
    // and queries: (B, 1, 1, T).
    let blocked = 1.0 - mask.to(dtype: hidden.dtype)
    let additive = (blocked * hidden.dtype.lowestFiniteValue).view(ids.size(0), 1, 1, ids.size(1))
    let last = encoder(hidden, additiveMask: additive)
    return BertOutput(lastHiddenState: last, poolerOutput: pooler.map { $0(last) }, attentionMask: mask)
  }

  /// Runs the encoder on a tokenised batch (the reference's `condition` dict).
  public func callAsFunction(_ condition: TextCondition) -> BertOutput {
    self(inputIDs: condition.inputIDs, attentionMask: condition.attentionMask, tokenTypeIDs: condition.tokenTypeIDs)
  }

  /// Draws BERT's initialisation from the global generator (`BertPreTrainedModel._init_weights`): linear and
  /// embedding weights ~ N(0, initializer_range), biases 0, the padding row 0, LayerNorm weight 1 and bias 0.
  public func initializeWeights() {
    let std = configuration.initializerRange
    withNoGrad {
      visitModules { _, module in
        switch module {
        case let linear as PretrainedLinear:
          Init.normal(linear.weight, std: std)
          Init.zeros(linear.bias)
        case let embedding as PretrainedEmbedding:
          Init.normal(embedding.weight, std: std)
          if let row = embedding.paddingIndex { embedding.weight[row].zero() }
        case let norm as LayerNorm:
          norm.weight.map(Init.ones)
          norm.bias.map(Init.zeros)
        default:
          break
        }
      }
    }
  }
}

/// What `BertModel` returns (Hugging Face's `BaseModelOutputWithPooling`).
public struct BertOutput: Sendable {
  /// `last_hidden_state` [B, T, H].
  public let lastHiddenState: Tensor
  /// `pooler_output` [B, H]: `tanh(dense(lastHiddenState[:, 0]))`; nil when the model has no pooling layer.
  public let poolerOutput: Tensor?
  /// The attention mask the encoder used [B, T] (1 = token, 0 = padding).
  public let attentionMask: Tensor

  public init(lastHiddenState: Tensor, poolerOutput: Tensor?, attentionMask: Tensor) {
    self.lastHiddenState = lastHiddenState
    self.poolerOutput = poolerOutput
    self.attentionMask = attentionMask
  }

  /// The attention-masked mean over tokens [B, H], sentence-transformers' mean pooling:
  /// `Σₜ h·m / max(Σₜ m, 1e-9)`. With `normalized`, divided by its L2 norm (`F.normalize`, eps 1e-12).
  public func meanPooled(normalized: Bool = false) -> Tensor {
    let weights = attentionMask.to(dtype: lastHiddenState.dtype).unsqueeze(-1).expand(as: lastHiddenState)
    let sum = (lastHiddenState * weights).sum(dim: 1)
    let count = weights.sum(dim: 1).clamp(min: 1e-9)
    let mean = sum / count
    return normalized ? Functional.normalize(mean, p: 2, dim: 1) : mean
  }
}

extension DType {
  /// `torch.finfo(dtype).min` for floating types, which Hugging Face puts at masked attention positions.
  var lowestFiniteValue: Double {
    switch self {
    case .float16: -65504
    case .bfloat16: -3.3895313892515355e38
    case .float64: -Double.greatestFiniteMagnitude
    default: -Double(Float.greatestFiniteMagnitude)
    }
  }
}

// MARK: - Blocks

/// `BertEmbeddings`: word + token type + absolute position embeddings, LayerNorm, dropout.
final class BertEmbeddings: Module {
  @Child("word_embeddings") var wordEmbeddings: PretrainedEmbedding
  @Child("position_embeddings") var positionEmbeddings: PretrainedEmbedding
  @Child("token_type_embeddings") var tokenTypeEmbeddings: PretrainedEmbedding
  @Child("LayerNorm") var layerNorm: LayerNorm
  @Buffer("position_ids", persistent: false) var positionIDs: Tensor
  @Buffer("token_type_ids", persistent: false) var tokenTypeIDs: Tensor
  let dropout: Double

  init(_ c: BertConfiguration) {
    dropout = c.hiddenDropoutProb
    super.init()
    wordEmbeddings = PretrainedEmbedding(c.vocabSize, c.hiddenSize, paddingIndex: c.padTokenID)
    positionEmbeddings = PretrainedEmbedding(c.maxPositionEmbeddings, c.hiddenSize)
    tokenTypeEmbeddings = PretrainedEmbedding(c.typeVocabSize, c.hiddenSize)
    layerNorm = LayerNorm(c.hiddenSize, eps: c.layerNormEps)
    positionIDs = Tensor.arange(0, Double(c.maxPositionEmbeddings), dtype: .int64).view(1, c.maxPositionEmbeddings)
    tokenTypeIDs = Tensor.zeros([1, c.maxPositionEmbeddings], dtype: .int64)
  }

  /// ids [B, T] → [B, T, H].
  func callAsFunction(inputIDs: Tensor, tokenTypeIDs types: Tensor?) -> Tensor {
    let (batch, length) = (inputIDs.size(0), inputIDs.size(1))
    let positions = positionIDs.slice(dim: 1, end: length)  // (1, T)
    let tokenTypes = types ?? tokenTypeIDs.slice(dim: 1, end: length).expand([batch, length])
    // transformers adds in this order: (words + token types) + positions.
    let sum = wordEmbeddings(inputIDs) + tokenTypeEmbeddings(tokenTypes) + positionEmbeddings(positions)
    return Functional.dropout(layerNorm(sum), p: dropout, training: isTraining && dropout > 0)
  }
}

/// `BertEncoder`: the stack of layers, `encoder.layer.<i>`.
final class BertEncoder: Module {
  @Child("layer") var layers: ModuleList<BertLayer>

  init(_ c: BertConfiguration) {
    super.init()
    layers = ModuleList((0..<c.numHiddenLayers).map { _ in BertLayer(c) })
  }

  func callAsFunction(_ x: Tensor, additiveMask: Tensor) -> Tensor {
    layers.reduce(x) { $1($0, additiveMask: additiveMask) }
  }
}

/// `BertLayer`: post-LN attention block then post-LN feed-forward block.
final class BertLayer: Module {
  @Child("attention") var attention: BertAttention
  @Child("intermediate") var intermediate: BertIntermediate
  @Child("output") var output: BertResidualOutput

  init(_ c: BertConfiguration) {
    super.init()
    attention = BertAttention(c)
    intermediate = BertIntermediate(c)
    output = BertResidualOutput(c.intermediateSize, c)
  }

  func callAsFunction(_ x: Tensor, additiveMask: Tensor) -> Tensor {
    let attended = attention(x, additiveMask: additiveMask)
    return output(intermediate(attended), residual: attended)
  }
}

/// `BertAttention`: `self` (the projections and attention) and `output` (dense, dropout, residual, LayerNorm).
final class BertAttention: Module {
  @Child("self") var selfAttention: BertSelfAttention
  @Child("output") var output: BertResidualOutput

  init(_ c: BertConfiguration) {
    super.init()
    selfAttention = BertSelfAttention(c)
    output = BertResidualOutput(c.hiddenSize, c)
  }

  func callAsFunction(_ x: Tensor, additiveMask: Tensor) -> Tensor {
    output(selfAttention(x, additiveMask: additiveMask), residual: x)
  }
}

/// `BertSelfAttention`: separate `query`, `key`, `value` projections, scaled dot-product attention over heads.
final class BertSelfAttention: Module {
  @Child("query") var query: PretrainedLinear
  @Child("key") var key: PretrainedLinear
  @Child("value") var value: PretrainedLinear
  let heads: Int
  let dropout: Double

  init(_ c: BertConfiguration) {
    heads = c.numAttentionHeads
    dropout = c.attentionProbsDropoutProb
    super.init()
    query = PretrainedLinear(c.hiddenSize, c.hiddenSize)
    key = PretrainedLinear(c.hiddenSize, c.hiddenSize)
    value = PretrainedLinear(c.hiddenSize, c.hiddenSize)
  }

  /// x [B, T, H], additive mask [B, 1, 1, T] → [B, T, H].
  func callAsFunction(_ x: Tensor, additiveMask: Tensor) -> Tensor {
    let (batch, length, width) = (x.size(0), x.size(1), x.size(2))
    func split(_ y: Tensor) -> Tensor { y.view(batch, length, heads, width / heads).transposed(1, 2) }  // (B, nh, T, hs)
    let context = Functional.scaledDotProductAttention(
      query: split(query(x)), key: split(key(x)), value: split(value(x)), mask: additiveMask,
      dropout: isTraining ? dropout : 0)
    return context.transposed(1, 2).reshape(batch, length, width)
  }
}

/// `BertIntermediate`: `dense` to the intermediate width and the configured activation.
final class BertIntermediate: Module {
  @Child("dense") var dense: PretrainedLinear
  let activation: BertActivation

  init(_ c: BertConfiguration) {
    activation = c.activation ?? .gelu
    super.init()
    dense = PretrainedLinear(c.hiddenSize, c.intermediateSize)
  }

  func callAsFunction(_ x: Tensor) -> Tensor {
    let y = dense(x)
    switch activation {
    case .gelu: return y.gelu()
    case .geluNew, .geluPytorchTanh, .geluFast: return y.gelu(approximate: .tanh)
    case .relu: return y.relu()
    case .silu, .swish: return y.silu()
    case .tanh: return y.tanh()
    }
  }
}

/// `BertSelfOutput` and `BertOutput`: `dense`, dropout, then `LayerNorm(x + residual)`.
final class BertResidualOutput: Module {
  @Child("dense") var dense: PretrainedLinear
  @Child("LayerNorm") var layerNorm: LayerNorm
  let dropout: Double

  init(_ inputWidth: Int, _ c: BertConfiguration) {
    dropout = c.hiddenDropoutProb
    super.init()
    dense = PretrainedLinear(inputWidth, c.hiddenSize)
    layerNorm = LayerNorm(c.hiddenSize, eps: c.layerNormEps)
  }

  func callAsFunction(_ x: Tensor, residual: Tensor) -> Tensor {
    let y = Functional.dropout(dense(x), p: dropout, training: isTraining && dropout > 0)
    return layerNorm(y + residual)
  }
}

/// `BertPooler`: `tanh(dense(x[:, 0]))`, the [CLS] position.
final class BertPooler: Module {
  @Child("dense") var dense: PretrainedLinear

  init(_ width: Int) {
    super.init()
    dense = PretrainedLinear(width, width)
  }

  func callAsFunction(_ hidden: Tensor) -> Tensor {
    dense(hidden.select(dim: 1, index: 0)).tanh()
  }
}
