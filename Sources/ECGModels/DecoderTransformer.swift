import ECGCore
import Torch

/// Configuration of `DecoderTransformer` (`DecoderTransformerConfig`, models.md §5.1): the reference's fields,
/// names and defaults (`vocab_size` and `pad_id` have none).
public struct DecoderTransformerConfig: Codable, Sendable, Equatable {
  public var vocabSize: Int
  public var padID: Int
  public var dModel = 512
  public var nHeads = 8
  public var dimFF = 2048
  public var numLayers = 12
  public var dropout = 0.1
  public var maxSeqLen = 512

  public init(vocabSize: Int, padID: Int) {
    self.vocabSize = vocabSize
    self.padID = padID
  }

  enum CodingKeys: String, CodingKey {
    case vocabSize = "vocab_size", padID = "pad_id", dModel = "d_model", nHeads = "n_heads", dimFF = "dim_ff"
    case numLayers = "num_layers", dropout, maxSeqLen = "max_seq_len"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(vocabSize: try c.decode(Int.self, forKey: .vocabSize), padID: try c.decode(Int.self, forKey: .padID))
    dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? dModel
    nHeads = try c.decodeIfPresent(Int.self, forKey: .nHeads) ?? nHeads
    dimFF = try c.decodeIfPresent(Int.self, forKey: .dimFF) ?? dimFF
    numLayers = try c.decodeIfPresent(Int.self, forKey: .numLayers) ?? numLayers
    dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? dropout
    maxSeqLen = try c.decodeIfPresent(Int.self, forKey: .maxSeqLen) ?? maxSeqLen
  }

  public func validate() throws {
    try requireConfig(
      vocabSize > 0 && (0..<vocabSize).contains(padID), "pad_id \(padID) must index the \(vocabSize)-token vocabulary")
    try requireConfig(
      dModel > 0 && nHeads > 0 && dModel % nHeads == 0, "d_model \(dModel) must be a multiple of n_heads \(nHeads)")
    try requireConfig(dimFF > 0 && numLayers >= 0 && maxSeqLen > 0, "decoder sizes must be positive")
    try requireConfig((0...1).contains(dropout), "dropout must lie in [0, 1]")
  }
}

/// Causal language model over ECG-Byte tokens (`DecoderTransformer`, models.md §5): token and position
/// embeddings, post-LN blocks, an untied LM head.
public final class DecoderTransformer: Module {
  /// `loss` (nil without labels), `logits` [B, T, V], `hiddenStates` [B, T, d] (the last block's output).
  public struct Output {
    public let loss: Tensor?
    public let logits: Tensor
    public let hiddenStates: Tensor
  }

  /// `tokens` [B, T + steps] (or [B, steps] new only) and the raw last-position `logits` [B, steps, V] of each
  /// step when asked for.
  public struct Generation {
    public let tokens: Tensor
    public let logits: Tensor?
  }

  public private(set) var config: DecoderTransformerConfig

  @Child("token_emb") var tokenEmb: Embedding
  @Child("pos_emb") var posEmb: Embedding
  @Child("layers") var layers: ModuleList<PostLNDecoderBlock>
  @Child("lm_head") var lmHead: Linear
  @Child("dropout") var dropout: Dropout

  /// Builds the network with the reference's draws: default layer init, xavier-uniform on every matrix, then
  /// `token_emb` and `pos_emb` ~ N(0, 0.02) — which overwrites the pad row too (M10).
  public init(_ config: DecoderTransformerConfig) throws {
    try config.validate()
    self.config = config
    super.init()
    tokenEmb = Embedding(config.vocabSize, config.dModel, paddingIndex: config.padID)
    posEmb = Embedding(config.maxSeqLen, config.dModel)
    layers = ModuleList(
      (0..<config.numLayers).map { _ in
        PostLNDecoderBlock(dModel: config.dModel, heads: config.nHeads, dimFF: config.dimFF, dropout: config.dropout)
      })
    lmHead = Linear(config.dModel, config.vocabSize, bias: false)
    dropout = Dropout(config.dropout)
    xavierInitialiseMatrices()
    Init.normal(tokenEmb.weight, std: 0.02)
    Init.normal(posEmb.weight, std: 0.02)
  }

  /// The forward (§5.3): `tgtIDs` [B, T] int64; `keyPaddingMask` [B, T] (true = pad; default `tgtIDs == pad_id`);
  /// `labels` [B, T] with −100 where ignored → cross-entropy of position j's logits against label j+1.
  /// Left-padded rows are finite in every mode (fully masked query rows attend to nothing: zero rows).
  public func callAsFunction(_ tgtIDs: Tensor, keyPaddingMask: Tensor? = nil, labels: Tensor? = nil) -> Output {
    let mask = keyPaddingMask ?? tgtIDs.eq(Double(config.padID))
    let length = tgtIDs.size(1)
    var x = dropout(tokenEmb(tgtIDs) + posEmb(positions(length, device: tgtIDs.device)))
    for layer in layers { x = layer(x, keyPaddingMask: mask, causal: true) }
    let logits = lmHead(x)
    var loss: Tensor?
    if let labels {
      let v = logits.size(-1)
      let shifted = logits.narrow(dim: 1, start: 0, length: length - 1).reshape(-1, v)
      let targets = labels.narrow(dim: 1, start: 1, length: length - 1).reshape(-1)
      loss = Functional.crossEntropy(shifted, targets, ignoreIndex: -100)
    }
    return Output(loss: loss, logits: logits, hiddenStates: x)
  }

  /// The training forward for a typed batch.
  public func callAsFunction(_ batch: TokenBatch) -> Output {
    self(batch.tgtIDs, keyPaddingMask: batch.keyPaddingMask, labels: batch.labels)
  }

  /// Autoregressive generation (§5.4), no gradients, no KV cache: up to `maxNewTokens` steps, stopping early
  /// at `max_seq_len`. Each step takes the last position's logits, divides by `max(temperature, 1e-8)` when
  /// `temperature ≠ 1`, keeps the `topK` largest when `0 < topK < V`, then samples (`multinomial`, one draw
  /// per step) or takes the first argmax. No end-of-sequence stop.
  ///
  /// `logits` are the raw logits of each step ([B, 0, V] when no step ran, where the reference fails).
  /// `onSampleProbabilities(step, probs [B, V])` sees the probabilities each sampling step draws from.
  public func generate(
    _ tgtIDs: Tensor, maxNewTokens: Int, temperature: Double = 1, topK: Int? = nil, doSample: Bool = false,
    returnNewOnly: Bool = false, returnLogits: Bool = true, draws: RandomDraws = RandomDraws(),
    onSampleProbabilities: ((Int, Tensor) -> Void)? = nil
  ) -> Generation {
    withNoGrad {
      var sequence = tgtIDs
      var stepLogits: [Tensor] = []
      var newTokens: [Tensor] = []
      for step in 0..<maxNewTokens {
        if sequence.size(1) >= config.maxSeqLen { break }
        let output = self(sequence)
        var logits = output.logits.select(dim: 1, index: sequence.size(1) - 1)
        if returnLogits { stepLogits.append(logits.clone()) }
        if temperature != 1 { logits = logits / Swift.max(temperature, 1e-8) }
        if let topK, topK > 0, topK < logits.size(-1) {
          let kth = logits.topk(topK, dim: -1).values.narrow(dim: -1, start: topK - 1, length: 1)
          logits = logits.maskedFill(logits < kth, -.infinity)
        }
        let next: Tensor
        if doSample {
          let probabilities = logits.softmax(dim: -1)
          onSampleProbabilities?(step, probabilities)
          next = draws.multinomial(probabilities, samples: 1)
        } else {
          next = logits.argmax(dim: -1, keepDim: true)
        }
        newTokens.append(next)
        sequence = Tensor.cat([sequence, next], dim: 1)
      }
      let batch = tgtIDs.size(0)
      let tokens =
        returnNewOnly
        ? (newTokens.isEmpty
          ? Tensor.zeros([batch, 0], dtype: .int64, device: tgtIDs.device) : Tensor.cat(newTokens, dim: 1))
        : sequence
      guard returnLogits else { return Generation(tokens: tokens, logits: nil) }
      let logits =
        stepLogits.isEmpty
        ? Tensor.zeros([batch, 0, config.vocabSize], device: tgtIDs.device) : Tensor.stack(stepLogits, dim: 1)
      return Generation(tokens: tokens, logits: logits)
    }
  }

  /// Grows (or shrinks) the vocabulary to `newVocabSize` (§5.5): a new `token_emb` ~ N(0, 0.02) and a new
  /// xavier-uniform `lm_head`, with the old rows copied; the pad index stays `pad_id`. Any size change works
  /// (the reference can only grow by at most 2).
  public func resizeEmbeddings(_ newVocabSize: Int) throws {
    guard newVocabSize != config.vocabSize else { return }
    try requireConfig(
      newVocabSize > config.padID, "the vocabulary of \(newVocabSize) tokens must include pad_id \(config.padID)")
    let kept = Swift.min(newVocabSize, config.vocabSize)
    let (dtype, device) = (tokenEmb.weight.dtype, tokenEmb.weight.device)
    let embedding = Embedding(newVocabSize, config.dModel, paddingIndex: config.padID)
    Init.normal(embedding.weight, std: 0.02)
    let head = Linear(config.dModel, newVocabSize, bias: false)
    Init.xavierUniform(head.weight)
    embedding.to(device: device, dtype: dtype)
    head.to(device: device, dtype: dtype)
    withNoGrad {
      embedding.weight.narrow(dim: 0, start: 0, length: kept).copy(
        from: tokenEmb.weight.narrow(dim: 0, start: 0, length: kept))
      head.weight.narrow(dim: 0, start: 0, length: kept).copy(
        from: lmHead.weight.narrow(dim: 0, start: 0, length: kept))
    }
    embedding.weight.requiresGrad = tokenEmb.weight.requiresGrad
    head.weight.requiresGrad = lmHead.weight.requiresGrad
    embedding.train(isTraining)
    head.train(isTraining)
    tokenEmb = embedding
    lmHead = head
    config.vocabSize = newVocabSize
  }
}
