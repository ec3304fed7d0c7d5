import Torch

/// Configuration of `SignalFlowHead` (`SignalFlowHeadConfig`, models.md §6.1): the reference's fields, names and
/// defaults.
public struct SignalFlowHeadConfig: Codable, Sendable, Equatable {
  public var signalDim = 12
  public var dModel = 512
  public var nHeads = 8
  public var dimFF = 2048
  public var numLayers = 4
  public var dropout = 0.1
  public var maxSignalLen = 2500
  public var numSteps = 50

  public init() {}

  enum CodingKeys: String, CodingKey {
    case signalDim = "signal_dim", dModel = "d_model", nHeads = "n_heads", dimFF = "dim_ff", numLayers = "num_layers"
    case dropout, maxSignalLen = "max_signal_len", numSteps = "num_steps"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = SignalFlowHeadConfig()
    signalDim = try c.decodeIfPresent(Int.self, forKey: .signalDim) ?? d.signalDim
    dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? d.dModel
    nHeads = try c.decodeIfPresent(Int.self, forKey: .nHeads) ?? d.nHeads
    dimFF = try c.decodeIfPresent(Int.self, forKey: .dimFF) ?? d.dimFF
    numLayers = try c.decodeIfPresent(Int.self, forKey: .numLayers) ?? d.numLayers
    dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? d.dropout
    maxSignalLen = try c.decodeIfPresent(Int.self, forKey: .maxSignalLen) ?? d.maxSignalLen
    numSteps = try c.decodeIfPresent(Int.self, forKey: .numSteps) ?? d.numSteps
  }

  public func validate() throws {
    try requireConfig(
      dModel > 0 && nHeads > 0 && dModel % nHeads == 0, "d_model \(dModel) must be a multiple of n_heads \(nHeads)")
    try requireConfig(
      signalDim > 0 && dimFF > 0 && numLayers >= 0 && maxSignalLen > 0 && numSteps > 0,
      "signal head sizes must be positive")
    try requireConfig((0...1).contains(dropout), "dropout must lie in [0, 1]")
  }
}

/// Rectified-flow generator of the continuous signal, cross-attending to a decoder's hidden states
/// (`SignalFlowHead`, models.md §6.3); adaLN-zero blocks conditioned on time only.
public final class SignalFlowHead: Module {
  public let config: SignalFlowHeadConfig

  @Child("input_proj") var inputProj: Linear
  @Child("pos_emb") var posEmb: Embedding
  @Child("time_mlp") var timeMLP: Sequential
  @Child("layers") var layers: ModuleList<FlowBlock>
  @Child("final_adaLN") var finalAdaLN: Sequential
  @Child("output_proj") var outputProj: Linear

  public init(_ config: SignalFlowHeadConfig) throws {
    try config.validate()
    self.config = config
    super.init()
    let d = config.dModel
    inputProj = Linear(config.signalDim, d)
    posEmb = Embedding(config.maxSignalLen, d)
    timeMLP = makeTimeMLP(d)
    layers = ModuleList(
      (0..<config.numLayers).map { _ in
        FlowBlock(dModel: d, heads: config.nHeads, dimFF: config.dimFF, dropout: config.dropout)
      })
    finalAdaLN = AdaLN.zeroModulation(d, chunks: 2)
    outputProj = Linear(d, config.signalDim)
    zeroInitialise(outputProj)
  }

  /// `net(x_t, t, context, context_mask)`: `x` [B, L, S], `t` [B], `context` [B, T, d] (raw decoder states),
  /// `contextMask` [B, T] (true = pad key) → velocity [B, L, S]. Inputs are cast to the head's dtype.
  public func callAsFunction(_ x: Tensor, _ t: Tensor, context: Tensor, contextMask: Tensor?) -> Tensor {
    let dtype = inputProj.weight.dtype
    let c = timeMLP(sinusoidalTimeEmbedding(t, dim: config.dModel).to(dtype))
    var h = inputProj(x.to(dtype)) + posEmb(positions(x.size(1), device: x.device))
    let memory = context.to(dtype)
    for layer in layers { h = layer(h, c, context: memory, contextMask: contextMask) }
    let m = AdaLN.chunks(finalAdaLN(c), 2)
    return outputProj(AdaLN.modulate(AdaLN.norm(h), shift: m[0], scale: m[1]))
  }

  /// Euler sampling from `randn(B, L, S)` at midpoint times over `numSteps` (default `num_steps`), no gradients:
  /// → [B, S, L] (§6.5).
  public func sample(
    batchSize: Int, length: Int, context: Tensor, contextMask: Tensor?, numSteps: Int? = nil,
    draws: RandomDraws = RandomDraws()
  ) -> Tensor {
    withNoGrad {
      let n = numSteps ?? config.numSteps
      var x = draws.randn([batchSize, length, config.signalDim], device: context.device)
      for i in 0..<n {
        let t = Tensor.full([batchSize], (Double(i) + 0.5) / Double(n), device: context.device)
        x = x + self(x, t, context: context, contextMask: contextMask).to(x.dtype) / Double(n)
      }
      return x.transposed(1, 2)
    }
  }
}

/// One block of the signal head (`FlowBlock`, §6.3): adaLN-modulated self-attention, cross-attention to the
/// context and feed-forward; keys `self_attn.*`, `cross_attn.*`, `ff.{0,2}.*`, `adaLN_modulation.1.*` (9d).
final class FlowBlock: Module {
  @Child("self_attn") var selfAttn: MultiheadAttention
  @Child("cross_attn") var crossAttn: MultiheadAttention
  @Child("ff") var ff: Sequential
  @Child("adaLN_modulation") var adaLNModulation: Sequential

  init(dModel: Int, heads: Int, dimFF: Int, dropout: Double) {
    super.init()
    selfAttn = MultiheadAttention(embedDim: dModel, heads: heads, dropout: dropout)
    crossAttn = MultiheadAttention(embedDim: dModel, heads: heads, dropout: dropout)
    ff = Sequential(Linear(dModel, dimFF), GELU(), Linear(dimFF, dModel), Dropout(dropout))
    adaLNModulation = AdaLN.zeroModulation(dModel, chunks: 9)
  }

  func callAsFunction(_ h: Tensor, _ c: Tensor, context: Tensor, contextMask: Tensor?) -> Tensor {
    let m = AdaLN.chunks(adaLNModulation(c), 9)
    var out = h
    let y = AdaLN.modulate(AdaLN.norm(out), shift: m[0], scale: m[1])
    out = out + m[2].unsqueeze(1) * selfAttn(y)
    let q = AdaLN.modulate(AdaLN.norm(out), shift: m[3], scale: m[4])
    let attended = crossAttn(query: q, key: context, value: context, keyPaddingMask: contextMask).output
    out = out + m[5].unsqueeze(1) * attended
    let z = AdaLN.modulate(AdaLN.norm(out), shift: m[6], scale: m[7])
    return out + m[8].unsqueeze(1) * ff(z)
  }
}
