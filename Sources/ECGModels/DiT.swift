import ECGCore
import Foundation
import Torch

/// Configuration of `DiT` (`DiTConfig`, models.md §3.1): the reference's fields, names and defaults.
public struct DiTConfig: Codable, Sendable, Equatable {
  public var inputDim = 12
  public var dModel = 512
  public var nHeads = 8
  public var dimFF = 2048
  public var numLayers = 12
  public var dropout = 0.1
  public var maxSeqLen = 2500
  /// `"rectified_flow"` or `"ddpm"`.
  public var lossType = "rectified_flow"
  public var numSteps = 50
  public var betaStart = 1e-4
  public var betaEnd = 0.02
  /// nil, `"lead"` or `"text"`.
  public var condition: String?
  /// Unused by the reference too (kept for configuration round trips).
  public var textMaxLen = 64
  /// Probability of replacing a row's condition by the learned null embedding in training.
  public var conditionDropout = 0.1
  /// The Hugging Face text model (`--text_feature_extractor`) for `condition == "text"`.
  public var textFeatureExtractor: String?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case inputDim = "input_dim", dModel = "d_model", nHeads = "n_heads", dimFF = "dim_ff", numLayers = "num_layers"
    case dropout, maxSeqLen = "max_seq_len", lossType = "loss_type", numSteps = "num_steps"
    case betaStart = "beta_start", betaEnd = "beta_end", condition, textMaxLen = "text_max_len"
    case conditionDropout = "condition_dropout", textFeatureExtractor = "text_feature_extractor"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = DiTConfig()
    inputDim = try c.decodeIfPresent(Int.self, forKey: .inputDim) ?? d.inputDim
    dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? d.dModel
    nHeads = try c.decodeIfPresent(Int.self, forKey: .nHeads) ?? d.nHeads
    dimFF = try c.decodeIfPresent(Int.self, forKey: .dimFF) ?? d.dimFF
    numLayers = try c.decodeIfPresent(Int.self, forKey: .numLayers) ?? d.numLayers
    dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? d.dropout
    maxSeqLen = try c.decodeIfPresent(Int.self, forKey: .maxSeqLen) ?? d.maxSeqLen
    lossType = try c.decodeIfPresent(String.self, forKey: .lossType) ?? d.lossType
    numSteps = try c.decodeIfPresent(Int.self, forKey: .numSteps) ?? d.numSteps
    betaStart = try c.decodeIfPresent(Double.self, forKey: .betaStart) ?? d.betaStart
    betaEnd = try c.decodeIfPresent(Double.self, forKey: .betaEnd) ?? d.betaEnd
    condition = try c.decodeIfPresent(String.self, forKey: .condition)
    textMaxLen = try c.decodeIfPresent(Int.self, forKey: .textMaxLen) ?? d.textMaxLen
    conditionDropout = try c.decodeIfPresent(Double.self, forKey: .conditionDropout) ?? d.conditionDropout
    textFeatureExtractor = try c.decodeIfPresent(String.self, forKey: .textFeatureExtractor)
  }

  /// Throws `ModelConfigurationError` for values the network cannot be built with.
  public func validate() throws {
    try requireConfig(
      ["rectified_flow", "ddpm"].contains(lossType), "DiT loss_type must be rectified_flow or ddpm, got \(lossType)")
    try requireConfig(
      condition == nil || ["lead", "text"].contains(condition!), "DiT condition must be lead or text, got \(condition!)"
    )
    try requireConfig(
      dModel > 0 && nHeads > 0 && dModel % nHeads == 0, "d_model \(dModel) must be a multiple of n_heads \(nHeads)")
    try requireConfig(
      numLayers >= 0 && dimFF > 0 && maxSeqLen > 0 && inputDim > 0 && numSteps > 0, "DiT sizes must be positive")
    try requireConfig(
      (0...1).contains(dropout) && (0...1).contains(conditionDropout), "dropout rates must lie in [0, 1]")
  }
}

/// Diffusion transformer over time steps with adaLN-zero blocks (`DiT`, models.md §3): rectified flow or DDPM,
/// unconditional or conditioned on a lead or a report, with classifier-free condition dropout and guidance.
///
/// Signals are [B, C, L] at the interface and [B, L, C] inside (one token per sample instant).
public final class DiT: Module {
  /// Result of the training forward: `loss` (scalar) and `prediction` [B, C, L] (velocity or noise).
  public struct Output {
    public let loss: Tensor
    public let prediction: Tensor
  }

  /// Result of `reconstruct`: `x1Pred` and `xt` [B, C, L], and the `t` used.
  public struct Reconstruction {
    public let x1Pred: Tensor
    public let xt: Tensor
    public let t: Double
  }

  public let config: DiTConfig

  @Parameter("null_cond_emb") public var nullCondEmb: Tensor?
  @Buffer("betas") public var betas: Tensor?
  @Buffer("alphas") public var alphas: Tensor?
  @Buffer("alphas_cumprod") public var alphasCumprod: Tensor?
  @Child("input_proj") var inputProj: Linear
  @Child("pos_emb") var posEmb: Embedding
  @Child("time_mlp") var timeMLP: Sequential
  @Child("layers") var layers: ModuleList<DiTBlock>
  @Child("final_adaLN") var finalAdaLN: Sequential
  @Child("output_proj") var outputProj: Linear
  @Child("condition_embedder") var conditionEmbedder: (any ConditionEmbedder)?

  /// Builds the network, drawing the initial weights as the reference's constructor does (§3.2).
  /// - Parameter textEncoder: the frozen text model for `condition == "text"` (its keys become
  ///   `condition_embedder.text_feature_extractor.*`).
  public init(_ config: DiTConfig, textEncoder: (any TextEncoder)? = nil) throws {
    try config.validate()
    self.config = config
    super.init()
    let d = config.dModel
    if config.condition != nil { nullCondEmb = Tensor.zeros([d]) }
    if config.lossType == "ddpm" {
      let b = Tensor.linspace(config.betaStart, config.betaEnd, steps: config.numSteps, dtype: .float32)
      betas = b
      alphas = 1 - b
      alphasCumprod = (1 - b).cumprod(dim: 0)
    }
    inputProj = Linear(config.inputDim, d)
    posEmb = Embedding(config.maxSeqLen, d)
    timeMLP = makeTimeMLP(d)
    layers = ModuleList(
      (0..<config.numLayers).map { _ in
        DiTBlock(dModel: d, heads: config.nHeads, dimFF: config.dimFF, dropout: config.dropout)
      })
    finalAdaLN = AdaLN.zeroModulation(d, chunks: 2)
    outputProj = Linear(d, config.inputDim)
    zeroInitialise(outputProj)
    switch config.condition {
    case "lead": conditionEmbedder = LeadConditionEmbedder(dModel: d, maxSeqLen: config.maxSeqLen)
    case "text":
      guard let textEncoder else {
        throw ModelConfigurationError("DiT with condition text needs the text model named by --text_feature_extractor")
      }
      conditionEmbedder = TextConditionEmbedder(textEncoder: textEncoder, dModel: d)
    default: conditionEmbedder = nil
    }
  }

  var isDDPM: Bool { config.lossType == "ddpm" }

  // MARK: - Network

  /// The ε/v-predictor `net(x_t, t, cond_emb)` (§3.3): `x` [B, L, C], `t` [B] float, `condEmb` [B, d] →
  /// [B, L, C]; `paddingMask` [B, L] (true = padded) masks attention keys.
  func net(_ x: Tensor, _ t: Tensor, condEmb: Tensor?, paddingMask: Tensor?) -> Tensor {
    let (h, c) = trunk(x, t, condEmb: condEmb, paddingMask: paddingMask)
    let modulation = AdaLN.chunks(finalAdaLN(c), 2)
    return outputProj(AdaLN.modulate(AdaLN.norm(h), shift: modulation[0], scale: modulation[1]))
  }

  /// Input projection, positions, time conditioning and the blocks: returns the hidden states [B, L, d] and
  /// the conditioning vector c [B, d].
  private func trunk(_ x: Tensor, _ t: Tensor, condEmb: Tensor?, paddingMask: Tensor?) -> (Tensor, Tensor) {
    var c = timeMLP(sinusoidalTimeEmbedding(t, dim: config.dModel))
    if let condEmb { c = c + condEmb }
    var h = inputProj(x) + posEmb(positions(x.size(1), device: x.device))
    for layer in layers { h = layer(h, c, keyPaddingMask: paddingMask) }
    return (h, c)
  }

  /// Classifier-free guidance (§3.6): `pred_u + s·(pred_c − pred_u)` when conditioned and `s ≠ 1`.
  func guidedNet(_ x: Tensor, _ t: Tensor, condEmb: Tensor?, paddingMask: Tensor?, cfgScale: Double) -> Tensor {
    guard let condEmb, cfgScale != 1, let null = nullCondEmb else {
      return net(x, t, condEmb: condEmb, paddingMask: paddingMask)
    }
    let conditional = net(x, t, condEmb: condEmb, paddingMask: paddingMask)
    let unconditional = net(
      x, t, condEmb: null.unsqueeze(0).expand([x.size(0), config.dModel]), paddingMask: paddingMask)
    return unconditional + (conditional - unconditional) * cfgScale
  }

  /// The condition embedding [B, d] (§3.4), or nil when unconditional; in training mode rows with `u < p`
  /// (one `rand(B)` draw) are replaced by `null_cond_emb`.
  func conditionEmbedding(_ condition: SignalCondition?, batch: Int, draws: RandomDraws) -> Tensor? {
    guard let conditionEmbedder, let condition else { return nil }
    var embedding = conditionEmbedder.embed(condition)
    if isTraining, let null = nullCondEmb {
      let u = draws.rand([batch], device: embedding.device)
      let drop = (u < config.conditionDropout).unsqueeze(1)
      embedding = Tensor.where(drop, null.unsqueeze(0).expand(as: embedding), embedding)
    }
    return embedding
  }

  /// The frozen text model's `last_hidden_state` [B, T, H] for `text` (what the text condition averages), or
  /// nil when the model is not text-conditioned.
  public func textLastHiddenState(_ text: TextCondition) -> Tensor? {
    (conditionEmbedder as? TextConditionEmbedder)?.lastHiddenState(text)
  }

  // MARK: - Training

  /// The training forward (§3.5): `batch.signal` [B, C, L], optional `paddingMask` [B, L] and condition →
  /// loss and prediction [B, C, L].
  ///
  /// Draws, in order: condition dropout `rand(B)` (conditional, training), then `randn_like(x1)` + `rand(B)`
  /// (rectified flow) or `randint(0, num_steps, (B,))` + `randn_like(x1)` (DDPM).
  /// With a padding mask the loss is Σ(pred − target)²·valid / Σ valid (the reference's denominator counts
  /// positions, not positions × channels).
  public func callAsFunction(_ batch: SignalBatch, draws: RandomDraws = RandomDraws()) -> Output {
    let x1 = batch.signal.transposed(1, 2)
    let b = x1.size(0)
    let condEmb = conditionEmbedding(batch.condition, batch: b, draws: draws)
    let xt: Tensor
    let t: Tensor
    let target: Tensor
    if isDDPM {
      let steps = draws.randint(0, config.numSteps, [b], device: x1.device)
      t = steps.to(.float32) / Double(config.numSteps)
      let noise = draws.randn(like: x1)
      let cumulative = alphasCumprod!.indexSelect(dim: 0, index: steps).view(b, 1, 1)
      xt = cumulative.sqrt() * x1 + (1 - cumulative).sqrt() * noise
      target = noise
    } else {
      let x0 = draws.randn(like: x1)
      t = draws.rand([b], device: x1.device)
      let tt = t.view(b, 1, 1)
      xt = (1 - tt) * x0 + tt * x1
      target = x1 - x0
    }
    let prediction = net(xt, t, condEmb: condEmb, paddingMask: batch.paddingMask)
    let loss: Tensor
    if let mask = batch.paddingMask {
      let valid = mask.logicalNot().to(.float32).unsqueeze(-1)
      loss = ((prediction - target).square() * valid).sum() / valid.sum()
    } else {
      loss = Functional.mseLoss(prediction, target)
    }
    return Output(loss: loss, prediction: prediction.transposed(1, 2))
  }

  // MARK: - Inference

  /// Generates signals [B, C, L] (§3.7) from `randn(B, L, C)`: Euler steps at midpoint times for rectified
  /// flow, ancestral DDPM for `ddpm`, with guidance scale `cfgScale` (the reference always uses 1). Throws if a
  /// DDPM model is asked for a step count other than its schedule's.
  /// - Parameter clampX0: DDPM clamps x̂0 to [0, 1] at every step, as the reference does whatever the
  ///   normalisation (M4); pass false for data not min-max normalised to [0, 1].
  public func sample(
    batchSize: Int, channels: Int? = nil, length: Int, numSteps: Int? = nil, paddingMask: Tensor? = nil,
    condition: SignalCondition? = nil, cfgScale: Double = 1, clampX0: Bool = true, device: Device = .cpu,
    draws: RandomDraws = RandomDraws()
  ) throws -> Tensor {
    let n = numSteps ?? config.numSteps
    guard n >= 1 else { throw ModelConfigurationError("sampling needs at least one step, got \(n)") }
    if isDDPM && n != config.numSteps {
      throw ModelConfigurationError("DDPM sampling runs the model's \(config.numSteps) steps, not \(n)")
    }
    precondition(channels == nil || channels == config.inputDim, "DiT samples \(config.inputDim) channels")
    return withNoGrad {
      var x = draws.randn([batchSize, length, config.inputDim], device: device)
      let condEmb = conditionEmbedding(condition, batch: batchSize, draws: draws)
      func times(_ value: Double) -> Tensor { Tensor.full([batchSize], value, device: device) }
      if !isDDPM {
        let dt = 1 / Double(n)
        for i in 0..<n {
          let v = guidedNet(
            x, times((Double(i) + 0.5) / Double(n)), condEmb: condEmb, paddingMask: paddingMask, cfgScale: cfgScale)
          x = x + v * dt
        }
      } else {
        let (betas, alphas, cumulative) = (betas!.doubles(), alphas!.doubles(), alphasCumprod!.doubles())
        for i in stride(from: n - 1, through: 0, by: -1) {
          let eps = guidedNet(
            x, times(Double(i) / Double(n)), condEmb: condEmb, paddingMask: paddingMask, cfgScale: cfgScale)
          let (alpha, alphaBar) = (Float(alphas[i]), Float(cumulative[i]))
          let alphaBarPrev: Float = i > 0 ? Float(cumulative[i - 1]) : 1
          let beta = Float(betas[i])
          var x0 = (x - eps * Double((1 - alphaBar).squareRoot())) / Double(alphaBar.squareRoot())
          if clampX0 { x0 = x0.clamp(min: 0, max: 1) }
          let mean =
            (x0 * Double(alphaBarPrev.squareRoot() * beta) + x * Double(alpha.squareRoot() * (1 - alphaBarPrev)))
            / Double(1 - alphaBar)
          if i > 0 {
            let sigma = (beta * (1 - alphaBarPrev) / (1 - alphaBar)).squareRoot()
            x = mean + draws.randn(like: x) * Double(sigma)
          } else {
            x = mean
          }
        }
      }
      return x.transposed(1, 2)
    }
  }

  /// One-step reconstruction (§3.8) of `signal` [B, C, L] from its noised version at `tValue`: rectified flow
  /// jumps from t to 1 along the predicted velocity; DDPM (step ⌊t·N⌋) inverts the predicted noise.
  /// Draws `randn_like(x1)` once.
  public func reconstruct(
    _ signal: Tensor, tValue: Double = 0.5, paddingMask: Tensor? = nil, condition: SignalCondition? = nil,
    cfgScale: Double = 1, draws: RandomDraws = RandomDraws()
  ) -> Reconstruction {
    withNoGrad {
      let x1 = signal.transposed(1, 2)
      let b = x1.size(0)
      let condEmb = conditionEmbedding(condition, batch: b, draws: draws)
      let x1Pred: Tensor
      let xt: Tensor
      if isDDPM {
        let k = min(max(Int((tValue * Double(config.numSteps)).rounded(.down)), 0), config.numSteps - 1)
        let alphaBar = alphasCumprod![k]
        let noise = draws.randn(like: x1)
        xt = alphaBar.sqrt() * x1 + (1 - alphaBar).sqrt() * noise
        let t = Tensor.full([b], Double(k) / Double(config.numSteps), device: x1.device)
        let eps = guidedNet(xt, t, condEmb: condEmb, paddingMask: paddingMask, cfgScale: cfgScale)
        x1Pred = (xt - (1 - alphaBar).sqrt() * eps) / alphaBar.sqrt()
      } else {
        let x0 = draws.randn(like: x1)
        xt = x0 * (1 - tValue) + x1 * tValue
        let t = Tensor.full([b], tValue, device: x1.device)
        let v = guidedNet(xt, t, condEmb: condEmb, paddingMask: paddingMask, cfgScale: cfgScale)
        x1Pred = xt + v * (1 - tValue)
      }
      return Reconstruction(x1Pred: x1Pred.transposed(1, 2), xt: xt.transposed(1, 2), t: tValue)
    }
  }

  /// Features for FID/MMD (the reference's `get_features`, §3.9): `signal` [B, C, L] → [B, d], the final
  /// norm's output (no final modulation, no condition, time 0) averaged over the valid positions.
  public func features(_ signal: Tensor, paddingMask: Tensor? = nil) -> Tensor {
    let x = signal.transposed(1, 2)
    let zeros = Tensor.zeros([x.size(0)], device: x.device)
    let h = AdaLN.norm(trunk(x, zeros, condEmb: nil, paddingMask: paddingMask).0)
    guard let paddingMask else { return h.mean(dim: 1) }
    let valid = paddingMask.logicalNot().to(h.dtype).unsqueeze(-1)
    return (h * valid).sum(dim: 1) / valid.sum(dim: 1).clamp(min: 1)
  }
}

/// One adaLN-zero block of DiT (`DiTBlock`, §3.3): keys `self_attn.*`, `ff.{0,2}.*`, `adaLN_modulation.1.*`.
final class DiTBlock: Module {
  @Child("self_attn") var selfAttn: MultiheadAttention
  @Child("ff") var ff: Sequential
  @Child("adaLN_modulation") var adaLNModulation: Sequential

  init(dModel: Int, heads: Int, dimFF: Int, dropout: Double) {
    super.init()
    selfAttn = MultiheadAttention(embedDim: dModel, heads: heads, dropout: dropout)
    ff = Sequential(Linear(dModel, dimFF), GELU(), Linear(dimFF, dModel), Dropout(dropout))
    adaLNModulation = AdaLN.zeroModulation(dModel, chunks: 6)
  }

  /// `h` [B, L, d], `c` [B, d] → [B, L, d].
  func callAsFunction(_ h: Tensor, _ c: Tensor, keyPaddingMask: Tensor?) -> Tensor {
    let m = AdaLN.chunks(adaLNModulation(c), 6)
    let y = AdaLN.modulate(AdaLN.norm(h), shift: m[0], scale: m[1])
    var out = h + m[2].unsqueeze(1) * selfAttn(y, keyPaddingMask: keyPaddingMask)
    let z = AdaLN.modulate(AdaLN.norm(out), shift: m[3], scale: m[4])
    out = out + m[5].unsqueeze(1) * ff(z)
    return out
  }
}
