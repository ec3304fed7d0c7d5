import ECGCore
import Torch

/// Configuration of MTAE (`MTAEConfig`, models.md §10); ST-MEM uses the same fields and defaults (§12) and MLAE
/// the same fields with `patch_size` 1 (§11). Coding keys are the reference's field names.
public struct MTAEConfig: Codable, Sendable, Equatable {
  /// `seq_len`: samples per lead L (the builder passes `--segment_len`).
  public var seqLen = 2250
  /// `patch_size`: samples per patch (the builder passes P(L), `referencePatchSize(segmentLength:)`).
  public var patchSize = 75
  public var numLeads = 12
  public var embedDim = 768
  /// `depth`: encoder blocks.
  public var depth = 12
  public var numHeads = 12
  public var decoderEmbedDim = 256
  public var decoderDepth = 4
  public var decoderNumHeads = 4
  /// `mlp_ratio`: feed-forward width / token width.
  public var mlpRatio = 4.0
  public var qkvBias = true
  /// `norm_pix_loss`: standardise each target patch (not settable from the reference CLI).
  public var normPixLoss = false

  /// Width of one attention head; the reference fixes `dim_head` = 64 in both encoder and decoder.
  public static let headDim = 64

  enum CodingKeys: String, CodingKey {
    case seqLen = "seq_len"
    case patchSize = "patch_size"
    case numLeads = "num_leads"
    case embedDim = "embed_dim"
    case depth
    case numHeads = "num_heads"
    case decoderEmbedDim = "decoder_embed_dim"
    case decoderDepth = "decoder_depth"
    case decoderNumHeads = "decoder_num_heads"
    case mlpRatio = "mlp_ratio"
    case qkvBias = "qkv_bias"
    case normPixLoss = "norm_pix_loss"
  }

  public init() {}

  /// As the reference builder builds MTAE and ST-MEM: `seq_len` = `--segment_len`, `patch_size` = P(L).
  public init(segmentLength: Int) {
    seqLen = segmentLength
    patchSize = referencePatchSize(segmentLength: segmentLength)
  }

  public init(from decoder: any Decoder) throws {
    try self.init(from: decoder, defaultPatchSize: 75)
  }

  init(from decoder: any Decoder, defaultPatchSize: Int) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = MTAEConfig()
    seqLen = try c.decodeValue(.seqLen, orDefault: d.seqLen)
    patchSize = try c.decodeValue(.patchSize, orDefault: defaultPatchSize)
    numLeads = try c.decodeValue(.numLeads, orDefault: d.numLeads)
    embedDim = try c.decodeValue(.embedDim, orDefault: d.embedDim)
    depth = try c.decodeValue(.depth, orDefault: d.depth)
    numHeads = try c.decodeValue(.numHeads, orDefault: d.numHeads)
    decoderEmbedDim = try c.decodeValue(.decoderEmbedDim, orDefault: d.decoderEmbedDim)
    decoderDepth = try c.decodeValue(.decoderDepth, orDefault: d.decoderDepth)
    decoderNumHeads = try c.decodeValue(.decoderNumHeads, orDefault: d.decoderNumHeads)
    mlpRatio = try c.decodeValue(.mlpRatio, orDefault: d.mlpRatio)
    qkvBias = try c.decodeValue(.qkvBias, orDefault: d.qkvBias)
    normPixLoss = try c.decodeValue(.normPixLoss, orDefault: d.normPixLoss)
  }

  /// `d_model`: the feature width (`embed_dim`).
  public var dModel: Int { embedDim }

  /// Throws when the sizes cannot build a model (a user error: a bad flag or config file).
  public func validate() throws {
    let positive = [
      seqLen, patchSize, numLeads, embedDim, depth, numHeads, decoderEmbedDim, decoderDepth, decoderNumHeads,
    ]
    guard positive.allSatisfy({ $0 > 0 }), mlpRatio > 0 else {
      throw ModelConfigError("every size of the MAE-family configuration must be positive: \(self)")
    }
    guard embedDim % 2 == 0, decoderEmbedDim % 2 == 0 else {
      throw ModelConfigError("embed_dim and decoder_embed_dim must be even (sin-cos position tables)")
    }
  }
}

/// A configuration or flag that cannot build a model; the message says what to change.
public struct ModelConfigError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ message: String) { description = message }
}

/// MTAE, the time-patch masked autoencoder (mtae.py `MTAE`, models.md §10); also the body of MLAE (§11), which is
/// the same class with lead patches.
///
/// The encoder cuts the signal into n = L / p patches of p samples across all leads (token k = the p·12 values of
/// samples k·p … k·p+p−1, time-major), masks 75 % of them, encodes the rest after a cls token; the decoder fills in
/// `mask_embedding`s and reconstructs every patch. `to_patch_embedding` is registered twice (as in the reference):
/// `encoder.to_patch_embedding.*` and `to_patch_embedding.*` are the same tensors, listed once among the parameters.
///
/// The reference cannot train it from its command line (its batch key is `series`, its argument `signal`,
/// models.md §9.6); here the forward takes a `SignalBatch`.
public class MTAE: Module {
  @Parameter("mask_embedding") public var maskEmbedding: Tensor
  /// Fixed sin-cos table [1, n+1, d_dec] (a parameter with `requires_grad` false, as in the reference).
  @Parameter("decoder_pos_embed") public var decoderPosEmbed: Tensor
  @Child("encoder") public var encoder: MTAEEncoder
  @Child("to_patch_embedding") public var toPatchEmbedding: Sequential
  @Child("to_decoder_embedding") public var toDecoderEmbedding: Linear
  @Child("decoder_blocks") var decoderBlocks: ModuleList<PreNormTransformerBlock>
  @Child("decoder_norm") public var decoderNorm: LayerNorm
  @Child("decoder_head") public var decoderHead: Linear
  let layout: PatchLayout
  public let normPixLoss: Bool

  /// Builds MTAE from `config`, drawing the reference's initial weights from libtorch's generator
  /// (`Torch.manualSeed(s)` first gives the reference's state_dict exactly).
  public convenience init(config: MTAEConfig) {
    self.init(config: config, layout: .time(patchSize: config.patchSize))
  }

  init(config: MTAEConfig, layout: PatchLayout) {
    precondition(config.seqLen % config.patchSize == 0, "seq_len must be a multiple of patch_size")
    self.layout = layout
    normPixLoss = config.normPixLoss
    super.init()
    let count = layout.tokenCount(leads: config.numLeads, length: config.seqLen)
    let tokenSize = layout.tokenSize(leads: config.numLeads, length: config.seqLen)
    maskEmbedding = Tensor.zeros([1, 1, config.decoderEmbedDim])
    decoderPosEmbed = Tensor.zeros([1, count + 1, config.decoderEmbedDim])
    decoderPosEmbed.requiresGrad = false
    encoder = MTAEEncoder(config: config, layout: layout)
    toPatchEmbedding = encoder.toPatchEmbedding
    toDecoderEmbedding = Linear(config.embedDim, config.decoderEmbedDim)
    let width = config.decoderEmbedDim
    decoderBlocks = ModuleList(
      (0..<config.decoderDepth).map { _ in
        PreNormTransformerBlock(
          width: width, heads: config.decoderNumHeads, headDim: MTAEConfig.headDim,
          hidden: Int(Double(width) * config.mlpRatio), qkvBias: config.qkvBias)
      })
    decoderNorm = LayerNorm(width, eps: 1e-6)
    decoderHead = Linear(width, tokenSize)
    initializeWeights(tokenCount: count)
  }

  /// `initialize_weights` (§9.4): sin-cos tables, cls and mask embeddings ~ N(0, 0.02), then every Linear
  /// xavier-uniform (the aliased patch embedding twice) and every LayerNorm 1/0.
  private func initializeWeights(tokenCount: Int) {
    withNoGrad {
      encoder.posEmbedding.copy(
        from: SinCosPositionTable.make(width: encoder.posEmbedding.size(2), positions: tokenCount, padding: .cls))
      decoderPosEmbed.copy(
        from: SinCosPositionTable.make(width: decoderPosEmbed.size(2), positions: tokenCount, padding: .cls))
    }
    Init.normal(encoder.clsEmbedding, std: 0.02)
    Init.normal(maskEmbedding, std: 0.02)
    applyMAEFamilyInit(self)
  }

  /// Training forward (`forward(signal, mask_ratio=0.75)`, §10): `batch.signal` [B, 12, L] (cast to the weights'
  /// dtype) → loss and the named extras. The masking noise `rand(B, n)` comes from `draws` (none when
  /// `maskRatio` is 0).
  public func callAsFunction(
    _ batch: SignalBatch, maskRatio: Double = 0.75, draws: RandomDraws = RandomDraws()
  ) -> MaskedAutoencoderOutput {
    let signal = batch.signal.to(dtype: decoderHead.weight.dtype)
    let (latent, masking) = encoder.encode(signal, maskRatio: maskRatio, draws: draws)
    let (out, pred) = decode(latent, idsRestore: masking.idsRestore)
    let target = layout.patchify(signal)
    let loss = maskedPatchLoss(pred: pred, target: target, mask: masking.mask, normalizePatches: normPixLoss)
    return MaskedAutoencoderOutput(
      loss: loss, out: out, pred: pred, mask: masking.mask, idsRestore: masking.idsRestore, latent: latent)
  }

  /// latent [B, 1+keep, D] → (`out` [B, n+1, d_dec] before `decoder_norm`, pred [B, n, token size]).
  private func decode(_ latent: Tensor, idsRestore: Tensor) -> (out: Tensor, pred: Tensor) {
    let x = toDecoderEmbedding(latent)
    let (batch, width) = (x.size(0), x.size(2))
    let count = idsRestore.size(1)
    let visible = x.narrow(dim: 1, start: 1, length: x.size(1) - 1)
    let fill = maskEmbedding.expand([batch, count - visible.size(1), width])
    let restored = Tensor.cat([visible, fill], dim: 1)
      .gather(dim: 1, index: idsRestore.unsqueeze(-1).expand([batch, count, width]))
    var h = Tensor.cat([x.narrow(dim: 1, start: 0, length: 1), restored], dim: 1) + decoderPosEmbed
    for block in decoderBlocks { h = block(h) }
    let pred = decoderHead(decoderNorm(h))
    return (h, pred.narrow(dim: 1, start: 1, length: count))
  }

  /// Features for evaluation (`get_features(series)`): the encoder's output at the cls position, after its final
  /// norm, without masking → [B, embed_dim].
  public func features(_ batch: SignalBatch) -> Tensor {
    let signal = batch.signal.to(dtype: decoderHead.weight.dtype)
    return encoder.encode(signal, maskRatio: 0, draws: RandomDraws()).latent.select(dim: 1, index: 0)
  }
}

/// The MTAE/MLAE encoder (st_mem.py `ViT` / mlae.py `MLAE_ViT`): `pos_embedding` (fixed sin-cos, cls variant),
/// `cls_embedding`, `to_patch_embedding` = (rearrange, LayerNorm, Linear, LayerNorm), `block0` … `block{depth−1}`,
/// `norm`.
public final class MTAEEncoder: Module {
  @Parameter("pos_embedding") public var posEmbedding: Tensor
  @Parameter("cls_embedding") public var clsEmbedding: Tensor
  @Child("to_patch_embedding") public var toPatchEmbedding: Sequential
  @Child("norm") public var norm: LayerNorm
  var blocks: [PreNormTransformerBlock] = []

  init(config: MTAEConfig, layout: PatchLayout) {
    super.init()
    let count = layout.tokenCount(leads: config.numLeads, length: config.seqLen)
    let tokenSize = layout.tokenSize(leads: config.numLeads, length: config.seqLen)
    let width = config.embedDim
    toPatchEmbedding = Sequential(
      Patchify(layout), LayerNorm(tokenSize), Linear(tokenSize, width), LayerNorm(width))
    // Drawn with randn and overwritten by initialize_weights; the draws keep the generator in step.
    posEmbedding = Tensor.randn([1, count + 1, width])
    posEmbedding.requiresGrad = false
    clsEmbedding = Tensor.randn([width])
    blocks = (0..<config.depth).map { _ in
      PreNormTransformerBlock(
        width: width, heads: config.numHeads, headDim: MTAEConfig.headDim,
        hidden: Int(Double(width) * config.mlpRatio), qkvBias: config.qkvBias)
    }
    norm = LayerNorm(width)
  }

  override public func registeredEntries() -> [ModuleEntry] {
    inserting(
      blocks.enumerated().map { ("block\($0.offset)", $0.element) }, before: "norm", in: super.registeredEntries())
  }

  /// signal [B, C, L] → (latent [B, 1+keep, D] after `norm`, the masking).
  func encode(_ signal: Tensor, maskRatio: Double, draws: RandomDraws) -> (latent: Tensor, masking: RandomMasking) {
    var x = toPatchEmbedding(signal)
    let count = x.size(1)
    x = x + posEmbedding.narrow(dim: 1, start: 1, length: count)
    let masking = maskRatio > 0 ? RandomMasking(x, ratio: maskRatio, draws: draws) : RandomMasking(unmasked: x)
    let cls = (clsEmbedding + posEmbedding.narrow(dim: 1, start: 0, length: 1)).expand([x.size(0), 1, x.size(2)])
    var h = Tensor.cat([cls, masking.kept], dim: 1)
    for block in blocks { h = block(h) }
    return (norm(h), masking)
  }
}

/// How the MTAE class cuts a signal [B, C, L] into tokens.
enum PatchLayout {
  /// MTAE "b c (n p) → b n (p c)": n = L / p tokens of p·C values (time-major, lead-minor).
  case time(patchSize: Int)
  /// MLAE "b (n p) t → b n (p t)": n = C / p tokens of p·L values (with p = 1, token k is lead k).
  case lead(patchSize: Int)

  func tokenCount(leads: Int, length: Int) -> Int {
    switch self {
    case .time(let p): length / p
    case .lead(let p): leads / p
    }
  }

  func tokenSize(leads: Int, length: Int) -> Int {
    switch self {
    case .time(let p): p * leads
    case .lead(let p): p * length
    }
  }

  /// signal [B, C, L] → tokens [B, n, token size].
  func patchify(_ signal: Tensor) -> Tensor {
    let (batch, leads, length) = (signal.size(0), signal.size(1), signal.size(2))
    switch self {
    case .time(let p):
      return signal.view(batch, leads, length / p, p).permute(0, 2, 3, 1).reshape(batch, length / p, p * leads)
    case .lead(let p):
      return signal.reshape(batch, leads / p, p * length)
    }
  }
}

/// The rearrangement at index 0 of `to_patch_embedding` (no parameters).
final class Patchify: Module, UnaryLayer {
  let layout: PatchLayout
  init(_ layout: PatchLayout) {
    self.layout = layout
    super.init()
  }
  func callAsFunction(_ input: Tensor) -> Tensor { layout.patchify(input) }
}
