import ECGCore
import Torch

/// Configuration of `NEPA` (`NEPAConfig`, models.md §4.1): the reference's fields, names and defaults.
public struct NEPAConfig: Codable, Sendable, Equatable {
  public var inputDim = 12
  public var dModel = 512
  public var nHeads = 8
  public var dimFF = 2048
  public var numLayers = 6
  public var dropout = 0.1
  public var maxSeqLen = 2500

  public init() {}

  enum CodingKeys: String, CodingKey {
    case inputDim = "input_dim", dModel = "d_model", nHeads = "n_heads", dimFF = "dim_ff", numLayers = "num_layers"
    case dropout, maxSeqLen = "max_seq_len"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = NEPAConfig()
    inputDim = try c.decodeIfPresent(Int.self, forKey: .inputDim) ?? d.inputDim
    dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? d.dModel
    nHeads = try c.decodeIfPresent(Int.self, forKey: .nHeads) ?? d.nHeads
    dimFF = try c.decodeIfPresent(Int.self, forKey: .dimFF) ?? d.dimFF
    numLayers = try c.decodeIfPresent(Int.self, forKey: .numLayers) ?? d.numLayers
    dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? d.dropout
    maxSeqLen = try c.decodeIfPresent(Int.self, forKey: .maxSeqLen) ?? d.maxSeqLen
  }

  public func validate() throws {
    try requireConfig(
      dModel > 0 && nHeads > 0 && dModel % nHeads == 0, "d_model \(dModel) must be a multiple of n_heads \(nHeads)")
    try requireConfig(inputDim > 0 && dimFF > 0 && numLayers >= 0 && maxSeqLen > 0, "NEPA sizes must be positive")
    try requireConfig((0...1).contains(dropout), "dropout must lie in [0, 1]")
  }
}

/// Next-embedding prediction (`NEPATransformer`, models.md §4): a causal post-LN transformer over the embedded
/// time steps predicts the next step's (normalised) input embedding.
public final class NEPA: Module {
  /// `loss` (scalar), `predEmbed` and `inputEmbed` [B, L, d].
  public struct Output {
    public let loss: Tensor
    public let predEmbed: Tensor
    public let inputEmbed: Tensor
  }

  public let config: NEPAConfig

  @Child("signal_proj") var signalProj: Linear
  @Child("pos_emb") var posEmb: Embedding
  @Child("layers") var layers: ModuleList<PostLNDecoderBlock>
  @Child("pred_head") var predHead: Linear
  @Child("dropout") var dropout: Dropout

  /// Builds the network with the reference's draws: default layer init, then xavier-uniform on every matrix
  /// (position table included), then `pos_emb` ~ N(0, 0.02) (§4.2).
  public init(_ config: NEPAConfig) throws {
    try config.validate()
    self.config = config
    super.init()
    signalProj = Linear(config.inputDim, config.dModel)
    posEmb = Embedding(config.maxSeqLen, config.dModel)
    layers = ModuleList(
      (0..<config.numLayers).map { _ in
        PostLNDecoderBlock(dModel: config.dModel, heads: config.nHeads, dimFF: config.dimFF, dropout: config.dropout)
      })
    predHead = Linear(config.dModel, config.dModel)
    dropout = Dropout(config.dropout)
    xavierInitialiseMatrices()
    Init.normal(posEmb.weight, std: 0.02)
  }

  /// Step 1 of §4.4: zero removed leads (`modalityMask` [B, C], true = removed), project, add positions, dropout.
  private func embed(_ signal: Tensor, modalityMask: Tensor?) -> Tensor {
    var s = signal
    if let modalityMask { s = s * modalityMask.logicalNot().to(s.dtype).unsqueeze(-1) }
    let x = s.transposed(1, 2)
    return dropout(signalProj(x) + posEmb(positions(x.size(1), device: x.device)))
  }

  private func blocks(_ e: Tensor, paddingMask: Tensor?) -> Tensor {
    layers.reduce(e) { $1($0, keyPaddingMask: paddingMask, causal: true) }
  }

  /// The training forward (§4.4): `batch.signal` [B, C, L], `paddingMask` [B, L] (true = padded),
  /// `modalityMask` [B, C] (true = lead removed). Loss = mean over target positions 1..L−1 (valid ones with a
  /// padding mask) of −cos(pred_head(x)[l−1], input_embed[l]), the target detached after dropout.
  public func callAsFunction(_ batch: SignalBatch) -> Output {
    let inputEmbed = embed(batch.signal, modalityMask: batch.modalityMask)
    let predEmbed = predHead(blocks(inputEmbed, paddingMask: batch.paddingMask))
    let length = inputEmbed.size(1)
    let prediction = Functional.normalize(predEmbed.narrow(dim: 1, start: 0, length: length - 1), dim: -1)
    let target = Functional.normalize(inputEmbed.detach().narrow(dim: 1, start: 1, length: length - 1), dim: -1)
    let perPosition = -(prediction * target).sum(dim: -1)
    let loss: Tensor
    if let mask = batch.paddingMask {
      let valid = mask.narrow(dim: 1, start: 1, length: length - 1).logicalNot().to(perPosition.dtype)
      loss = (perPosition * valid).sum() / valid.sum().clamp(min: 1)
    } else {
      loss = perPosition.mean()
    }
    return Output(loss: loss, predEmbed: predEmbed, inputEmbed: inputEmbed)
  }

  /// The reference's `encode` (§4.4): `signal` [B, C, L] → the last block's output [B, L, d], no gradients.
  public func encode(_ signal: Tensor, paddingMask: Tensor? = nil) -> Tensor {
    withNoGrad { blocks(embed(signal, modalityMask: nil), paddingMask: paddingMask) }
  }

  /// Features [B, d] for evaluation: the last block's output (`encode`) averaged over the valid positions.
  /// The reference's `get_features` returns None; this is ours (causal attention, so every position has seen
  /// only its past, and the mean covers the whole window).
  public func features(_ signal: Tensor, paddingMask: Tensor? = nil) -> Tensor {
    let h = encode(signal, paddingMask: paddingMask)
    guard let paddingMask else { return h.mean(dim: 1) }
    let valid = paddingMask.logicalNot().to(h.dtype).unsqueeze(-1)
    return (h * valid).sum(dim: 1) / valid.sum(dim: 1).clamp(min: 1)
  }
}
