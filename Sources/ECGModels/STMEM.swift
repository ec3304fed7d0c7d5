import ECGCore
import Torch

/// Configuration of ST-MEM (`ST_MEMConfig`, models.md §12): MTAE's fields and defaults.
public typealias STMEMConfig = MTAEConfig

/// ST-MEM, spatio-temporal masked ECG modelling (st_mem.py `ST_MEM`, models.md §12).
///
/// Each lead is cut into n = L / p patches of p samples; patches are masked per (sample, lead); each lead's kept
/// patches sit between two SEP tokens with the lead's embedding added, and the encoder attends across all leads.
/// The decoder reconstructs each lead separately (shared weights, attention within the lead). `to_patch_embedding`
/// is registered twice, as in the reference (same tensors, one set of parameters). The reference cannot train it
/// from its command line (models.md §9.6); here the forward takes a `SignalBatch`.
public final class STMEM: Module {
  @Parameter("mask_embedding") public var maskEmbedding: Tensor
  /// Fixed sin-cos table [1, n+2, d_dec] (SEP variant; `requires_grad` false).
  @Parameter("decoder_pos_embed") public var decoderPosEmbed: Tensor
  @Child("encoder") public var encoder: STMEMEncoder
  @Child("to_patch_embedding") public var toPatchEmbedding: Sequential
  @Child("to_decoder_embedding") public var toDecoderEmbedding: Linear
  @Child("decoder_blocks") var decoderBlocks: ModuleList<PreNormTransformerBlock>
  @Child("decoder_norm") public var decoderNorm: LayerNorm
  @Child("decoder_head") public var decoderHead: Linear
  public let normPixLoss: Bool
  public let patchSize: Int

  /// Builds ST-MEM from `config` with the reference's initial weights drawn from libtorch's generator.
  public init(config: STMEMConfig) {
    precondition(config.seqLen % config.patchSize == 0, "seq_len must be a multiple of patch_size")
    normPixLoss = config.normPixLoss
    patchSize = config.patchSize
    super.init()
    let count = config.seqLen / config.patchSize
    let width = config.decoderEmbedDim
    maskEmbedding = Tensor.zeros([1, 1, width])
    decoderPosEmbed = Tensor.zeros([1, count + 2, width])
    decoderPosEmbed.requiresGrad = false
    encoder = STMEMEncoder(config: config)
    toPatchEmbedding = encoder.toPatchEmbedding
    toDecoderEmbedding = Linear(config.embedDim, width)
    decoderBlocks = ModuleList(
      (0..<config.decoderDepth).map { _ in
        PreNormTransformerBlock(
          width: width, heads: config.decoderNumHeads, headDim: MTAEConfig.headDim,
          hidden: Int(Double(width) * config.mlpRatio), qkvBias: config.qkvBias)
      })
    decoderNorm = LayerNorm(width, eps: 1e-6)
    decoderHead = Linear(width, config.patchSize)
    initializeWeights(tokenCount: count)
  }

  /// `initialize_weights` (§9.4, §14): sin-cos tables; `sep_embedding`, `mask_embedding`, then each lead
  /// embedding ~ N(0, 0.02); every Linear xavier-uniform (the aliased patch embedding twice), LayerNorms 1/0.
  private func initializeWeights(tokenCount: Int) {
    withNoGrad {
      encoder.posEmbedding.copy(
        from: SinCosPositionTable.make(width: encoder.posEmbedding.size(2), positions: tokenCount, padding: .sep))
      decoderPosEmbed.copy(
        from: SinCosPositionTable.make(width: decoderPosEmbed.size(2), positions: tokenCount, padding: .sep))
    }
    Init.normal(encoder.sepEmbedding, std: 0.02)
    Init.normal(maskEmbedding, std: 0.02)
    for lead in encoder.leadEmbeddings.tensors { Init.normal(lead, std: 0.02) }
    applyMAEFamilyInit(self)
  }

  /// Training forward (`forward(signal, mask_ratio=0.75)`, §12): `batch.signal` [B, 12, L] → loss, `out`
  /// [B, 12, n+2, d_dec], pred [B, 12, n, p], mask [B, 12, n]. The masking noise `rand(B, 12, n)` comes from
  /// `draws` (none when `maskRatio` is 0).
  public func callAsFunction(
    _ batch: SignalBatch, maskRatio: Double = 0.75, draws: RandomDraws = RandomDraws()
  ) -> MaskedAutoencoderOutput {
    let signal = batch.signal.to(dtype: decoderHead.weight.dtype)
    let (latent, masking) = encoder.encode(signal, maskRatio: maskRatio, draws: draws)
    let (out, pred) = decode(latent, idsRestore: masking.idsRestore)
    let target = encoder.patchify(signal)
    let loss = maskedPatchLoss(pred: pred, target: target, mask: masking.mask, normalizePatches: normPixLoss)
    return MaskedAutoencoderOutput(
      loss: loss, out: out, pred: pred, mask: masking.mask, idsRestore: masking.idsRestore, latent: latent)
  }

  /// latent [B, 12·(keep+2), D] → (`out` [B, 12, n+2, d_dec], pred [B, 12, n, p]).
  private func decode(_ latent: Tensor, idsRestore: Tensor) -> (out: Tensor, pred: Tensor) {
    let (batch, leads, count) = (idsRestore.size(0), idsRestore.size(1), idsRestore.size(2))
    var x = toDecoderEmbedding(latent)
    let width = x.size(2)
    x = x.view(batch, leads, -1, width)
    let kept = x.size(2) - 2
    let visible = x.narrow(dim: 2, start: 1, length: kept)
    let fill = maskEmbedding.expand([batch, leads, count - kept, width])
    let restored = Tensor.cat([visible, fill], dim: 2)
      .gather(dim: 2, index: idsRestore.unsqueeze(-1).expand([batch, leads, count, width]))
    let positions = decoderPosEmbed.unsqueeze(1)  // [1, 1, n+2, d]
    let leftSEP = x.narrow(dim: 2, start: 0, length: 1) + positions.narrow(dim: 2, start: 0, length: 1)
    let rightSEP = x.narrow(dim: 2, start: kept + 1, length: 1) + positions.narrow(dim: 2, start: count + 1, length: 1)
    let tokens = restored + positions.narrow(dim: 2, start: 1, length: count)
    // Lead-wise decoding: every lead is its own sequence (shared weights), so leads fold into the batch.
    var h = Tensor.cat([leftSEP, tokens, rightSEP], dim: 2).reshape(batch * leads, count + 2, width)
    for block in decoderBlocks { h = block(h) }
    let out = h.view(batch, leads, count + 2, width)
    let pred = decoderHead(decoderNorm(h)).view(batch, leads, count + 2, -1).narrow(dim: 2, start: 1, length: count)
    return (out, pred)
  }

  /// Features for evaluation (`get_features(series)` = the encoder's `forward_encoding`): every patch, SEPs and lead
  /// embeddings, the encoder blocks, SEPs removed, **mean over leads and patches, then** `encoder.norm` →
  /// [B, embed_dim]. Needs as many leads as lead embeddings (the reference broadcasts a single lead silently and
  /// crashes on other counts; this traps).
  public func features(_ batch: SignalBatch) -> Tensor {
    encoder.forwardEncoding(batch.signal.to(dtype: decoderHead.weight.dtype))
  }
}

/// The ST-MEM encoder (st_mem.py `ST_MEM_ViT`): `pos_embedding` (fixed sin-cos, SEP variant), `sep_embedding`,
/// `to_patch_embedding` = (rearrange, LayerNorm(p), Linear(p, D), LayerNorm(D)), `lead_embeddings.{c}`,
/// `block0` … `block{depth−1}`, `norm`.
public final class STMEMEncoder: Module {
  @Parameter("pos_embedding") public var posEmbedding: Tensor
  @Parameter("sep_embedding") public var sepEmbedding: Tensor
  @Child("to_patch_embedding") public var toPatchEmbedding: Sequential
  @Child("lead_embeddings") public var leadEmbeddings: ParameterList
  @Child("norm") public var norm: LayerNorm
  var blocks: [PreNormTransformerBlock] = []
  let patchSize: Int

  init(config: STMEMConfig) {
    patchSize = config.patchSize
    super.init()
    let count = config.seqLen / config.patchSize
    let width = config.embedDim
    toPatchEmbedding = Sequential(
      LeadPatchify(patchSize: patchSize), LayerNorm(patchSize), Linear(patchSize, width), LayerNorm(width))
    // Drawn with randn and overwritten by initialize_weights; the draws keep the generator in step.
    posEmbedding = Tensor.randn([1, count + 2, width])
    posEmbedding.requiresGrad = false
    sepEmbedding = Tensor.randn([width])
    leadEmbeddings = ParameterList((0..<config.numLeads).map { _ in Tensor.randn([width]) })
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

  /// "b c (n p) → b c n p": signal [B, C, L] → [B, C, n, p].
  func patchify(_ signal: Tensor) -> Tensor {
    signal.view(signal.size(0), signal.size(1), signal.size(2) / patchSize, patchSize)
  }

  /// The lead embeddings stacked [C, D].
  private var leadTable: Tensor { Tensor.stack(leadEmbeddings.tensors) }

  /// Patch embedding plus position rows 1..n: signal [B, C, L] → [B, C, n, D].
  private func embed(_ signal: Tensor) -> Tensor {
    let x = toPatchEmbedding(signal)
    return x + posEmbedding.narrow(dim: 1, start: 1, length: x.size(2)).unsqueeze(1)
  }

  /// [SEP, tokens…, SEP] per lead with the lead embeddings, flattened lead-major: [B, C, k, D] → [B, C·(k+2), D].
  private func withSeparators(_ x: Tensor) -> Tensor {
    let (batch, leads, count, width) = (x.size(0), x.size(1), x.size(2), x.size(3))
    let n = posEmbedding.size(1) - 2
    let left = (sepEmbedding + posEmbedding.select(dim: 1, index: 0)).view(1, 1, 1, width)
    let right = (sepEmbedding + posEmbedding.select(dim: 1, index: n + 1)).view(1, 1, 1, width)
    let sequence = Tensor.cat(
      [left.expand([batch, leads, 1, width]), x, right.expand([batch, leads, 1, width])], dim: 2)
    precondition(
      leads <= leadEmbeddings.tensors.count,
      "ST-MEM has \(leadEmbeddings.tensors.count) lead embeddings, got \(leads) leads")
    let leadRows = leadTable.narrow(dim: 0, start: 0, length: leads).view(1, leads, 1, width)
    return (sequence + leadRows).reshape(batch, leads * (count + 2), width)
  }

  /// Masked encoding of the training forward: signal [B, C, L] → (latent [B, C·(keep+2), D] after `norm`, masking).
  func encode(_ signal: Tensor, maskRatio: Double, draws: RandomDraws) -> (latent: Tensor, masking: RandomMasking) {
    let x = embed(signal)
    let masking = maskRatio > 0 ? RandomMasking(x, ratio: maskRatio, draws: draws) : RandomMasking(unmasked: x)
    var h = withSeparators(masking.kept)
    for block in blocks { h = block(h) }
    return (norm(h), masking)
  }

  /// `forward_encoding` (features): signal [B, C, L] → [B, D].
  func forwardEncoding(_ signal: Tensor) -> Tensor {
    let x = embed(signal)
    let (batch, leads, count, width) = (x.size(0), x.size(1), x.size(2), x.size(3))
    precondition(
      leads == leadEmbeddings.tensors.count, "ST-MEM features need \(leadEmbeddings.tensors.count) leads, got \(leads)")
    var h = withSeparators(x)
    for block in blocks { h = block(h) }
    let tokens = h.view(batch, leads, count + 2, width).narrow(dim: 2, start: 1, length: count)
    return norm(tokens.mean(dims: [1, 2]))
  }
}

/// The rearrangement at index 0 of ST-MEM's `to_patch_embedding` ("b c (n p) → b c n p").
final class LeadPatchify: Module, UnaryLayer {
  let patchSize: Int
  init(patchSize: Int) {
    self.patchSize = patchSize
    super.init()
  }
  func callAsFunction(_ input: Tensor) -> Tensor {
    input.view(input.size(0), input.size(1), input.size(2) / patchSize, patchSize)
  }
}
