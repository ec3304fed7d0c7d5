import ECGCore
import Torch

/// Configuration of MAE-ViT (`MAEViTConfig`, models.md §7.1), coding keys as the reference's fields.
public struct MAEViTConfig: Codable, Sendable, Equatable {
  /// `patch_dim`: samples per patch = per lead (required by the reference; the builder passes `--patch_dim`).
  public var patchDim: Int
  public var dModel = 512
  public var nHeads = 8
  public var dimFF = 2048
  public var numEncoderLayers = 6
  public var numDecoderLayers = 4
  public var dropout = 0.1
  /// `max_patches`: rows of the position tables (12 leads).
  public var maxPatches = 12
  /// `decoder_d_model`: must equal `d_model` (the reference's `enc_to_dec` is then the identity; the builder
  /// never changes it).
  public var decoderDModel = 512

  enum CodingKeys: String, CodingKey {
    case patchDim = "patch_dim"
    case dModel = "d_model"
    case nHeads = "n_heads"
    case dimFF = "dim_ff"
    case numEncoderLayers = "num_encoder_layers"
    case numDecoderLayers = "num_decoder_layers"
    case dropout
    case maxPatches = "max_patches"
    case decoderDModel = "decoder_d_model"
  }

  /// As the reference builder builds it: `patch_dim` = `--patch_dim` (2500), every other field default.
  public init(patchDim: Int) { self.patchDim = patchDim }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = MAEViTConfig(patchDim: 0)
    patchDim = try c.decode(Int.self, forKey: .patchDim)
    dModel = try c.decodeValue(.dModel, orDefault: d.dModel)
    nHeads = try c.decodeValue(.nHeads, orDefault: d.nHeads)
    dimFF = try c.decodeValue(.dimFF, orDefault: d.dimFF)
    numEncoderLayers = try c.decodeValue(.numEncoderLayers, orDefault: d.numEncoderLayers)
    numDecoderLayers = try c.decodeValue(.numDecoderLayers, orDefault: d.numDecoderLayers)
    dropout = try c.decodeValue(.dropout, orDefault: d.dropout)
    maxPatches = try c.decodeValue(.maxPatches, orDefault: d.maxPatches)
    decoderDModel = try c.decodeValue(.decoderDModel, orDefault: d.decoderDModel)
  }

  /// Throws for sizes that cannot build the model.
  public func validate() throws {
    guard [patchDim, dModel, nHeads, dimFF, numEncoderLayers, numDecoderLayers, maxPatches].allSatisfy({ $0 > 0 })
    else { throw ModelConfigurationError("every size of the MAE-ViT configuration must be positive: \(self)") }
    guard dModel % nHeads == 0 else {
      throw ModelConfigurationError("d_model (\(dModel)) must be divisible by n_heads (\(nHeads))")
    }
    guard decoderDModel == dModel else {
      throw ModelConfigurationError(
        "decoder_d_model must equal d_model (\(dModel)); the reference's enc_to_dec projection is not built")
    }
    guard (0..<1).contains(dropout) else { throw ModelConfigurationError("dropout must be in [0, 1), got \(dropout)") }
  }
}

/// What MAE-ViT returns (models.md §1.8).
public struct MAEViTOutput {
  /// MSE over the masked patches' elements (or all, when the batch says `lossOnMaskedOnly` false).
  public let loss: Tensor
  /// `recon` = `pred` [B, N, patch_dim].
  public let pred: Tensor
  /// bool [B, N], true = masked (not visible).
  public let mask: Tensor
  /// The encoded visible tokens [B, N_visible, d_model] (after `enc_norm`).
  public let enc: Tensor
}

/// MAE-ViT (mae_vit.py `MAEViT`, models.md §7): one patch per lead, visible patches encoded by a post-LN
/// transformer, the decoder reconstructs every patch from the encoded ones and `mask_token`s. The masking is drawn
/// by the data pipeline (`PatchBatch.visibleMask`), not here.
public final class MAEViT: Module {
  @Parameter("mask_token") public var maskToken: Tensor
  @Child("patch_proj") public var patchProj: Linear
  @Child("pos_enc") public var posEnc: Embedding
  @Child("encoder") var encoder: ModuleList<PostLNDecoderBlock>
  @Child("enc_norm") public var encNorm: LayerNorm
  @Child("dec_pos") public var decPos: Embedding
  @Child("decoder") var decoder: ModuleList<PostLNDecoderBlock>
  @Child("dec_norm") public var decNorm: LayerNorm
  @Child("pred_head") public var predHead: Linear
  /// The configuration it was built from.
  public let config: MAEViTConfig

  /// Builds MAE-ViT with the reference's initial weights drawn from libtorch's generator (`_reset_parameters`:
  /// xavier-uniform on every ≥2-D parameter in order, then `pos_enc`, `dec_pos`, `mask_token` ~ N(0, 0.02)).
  public init(config: MAEViTConfig) {
    precondition(config.decoderDModel == config.dModel, "decoder_d_model must equal d_model")
    self.config = config
    super.init()
    let d = config.dModel
    // mae_vit.py's `ViTBlock`: the shared post-LN block with its attention under `attn`.
    func block() -> PostLNDecoderBlock {
      PostLNDecoderBlock(
        dModel: d, heads: config.nHeads, dimFF: config.dimFF, dropout: config.dropout, attentionKey: "attn")
    }
    maskToken = Tensor.zeros([1, 1, d])
    patchProj = Linear(config.patchDim, d)
    posEnc = Embedding(config.maxPatches, d)
    encoder = ModuleList((0..<config.numEncoderLayers).map { _ in block() })
    encNorm = LayerNorm(d)
    decPos = Embedding(config.maxPatches, d)
    decoder = ModuleList((0..<config.numDecoderLayers).map { _ in block() })
    decNorm = LayerNorm(d)
    predHead = Linear(d, config.patchDim)
    for (_, parameter) in namedParameters() where parameter.rank > 1 { Init.xavierUniform(parameter) }
    Init.normal(posEnc.weight, std: 0.02)
    Init.normal(decPos.weight, std: 0.02)
    Init.normal(maskToken, std: 0.02)
  }

  /// Training forward (`forward(patches, visible_mask, targets, loss_on_masked_only)`, §7.3):
  /// patches [B, N, P], visible mask [B, N] (1 = visible; every sample must show the same number of patches),
  /// targets [B, N, P] (the patches when nil).
  public func callAsFunction(_ batch: PatchBatch) -> MAEViTOutput {
    let visible = batch.visibleMask.to(dtype: .bool)
    let enc = encode(batch.patches, visible: visible)
    let (b, n) = (batch.patches.size(0), batch.patches.size(1))
    let d = enc.size(2)
    // Encoded tokens back at the visible positions (in order), mask_token elsewhere.
    let order = visibleFirstOrder(visible)
    let restore = order.argsort(dim: 1)
    let fill = maskToken.expand([b, n - enc.size(1), d])
    var x = Tensor.cat([enc, fill], dim: 1).gather(dim: 1, index: restore.unsqueeze(-1).expand([b, n, d]))
    x = x + decPos(positions(n, device: x.device))
    for block in decoder { x = block(x) }
    let pred = predHead(decNorm(x))
    let target = batch.targets ?? batch.patches
    let mask = visible.logicalNot()
    let loss: Tensor
    if batch.lossOnMaskedOnly {
      let weights = mask.to(dtype: pred.dtype).unsqueeze(-1).expand(pred.shape)
      loss = ((pred - target).square() * weights).sum() / weights.sum()
    } else {
      loss = Functional.mseLoss(pred, target)
    }
    return MAEViTOutput(loss: loss, pred: pred, mask: mask, enc: enc)
  }

  /// Features for evaluation (`get_features(patches, visible_mask)`): the mean over the encoded visible tokens
  /// (after `enc_norm`) → [B, d_model]. For all patches pass a visible mask of ones.
  public func features(_ batch: PatchBatch) -> Tensor {
    encode(batch.patches, visible: batch.visibleMask.to(dtype: .bool)).mean(dim: 1)
  }

  /// patches [B, N, P], visible bool [B, N] → [B, N_visible, d].
  private func encode(_ patches: Tensor, visible: Tensor) -> Tensor {
    let (b, n) = (patches.size(0), patches.size(1))
    var x = patchProj(patches) + posEnc(positions(n, device: patches.device))
    let counts = visible.sum(dim: 1).ints()
    precondition(
      Set(counts).count <= 1, "MAE-ViT needs the same number of visible patches in every sample, got \(counts)")
    let kept = counts.first ?? 0
    let index = visibleFirstOrder(visible).narrow(dim: 1, start: 0, length: kept)
    x = x.gather(dim: 1, index: index.unsqueeze(-1).expand([b, kept, x.size(2)]))
    for block in encoder { x = block(x) }
    return encNorm(x)
  }

  /// Patch indices with the visible ones first, each group in increasing order: int64 [B, N].
  private func visibleFirstOrder(_ visible: Tensor) -> Tensor {
    visible.to(dtype: .int64).argsort(dim: 1, descending: true, stable: true)
  }

  private func positions(_ n: Int, device: Device) -> Tensor {
    Tensor.arange(0, Double(n), dtype: .int64, device: device)
  }
}
